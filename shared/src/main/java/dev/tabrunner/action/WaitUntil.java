package dev.tabrunner.action;

/** When a navigation counts as done. */
public enum WaitUntil {
    DOMCONTENTLOADED("domcontentloaded"), LOAD("load"), NETWORKIDLE("networkidle");

    private final String wire;

    WaitUntil(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    static WaitUntil fromWire(String value) {
        for (WaitUntil w : values()) {
            if (w.wire.equals(value)) {
                return w;
            }
        }
        return null;
    }
}
