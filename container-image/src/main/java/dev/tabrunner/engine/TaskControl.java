package dev.tabrunner.engine;

/**
 * How the engine learns that its task must not go on: a stop or pause request, the host's time limit, or the task
 * taken over by someone else. The engine asks between actions, and inside long waits for the requests that cannot
 * wait for the action to end.
 */
public interface TaskControl {
    /**
     * @throws TaskInterrupted when the task must stop, pause, yield or has been lost
     */
    void betweenActions();

    /**
     * @throws TaskInterrupted when the task must end at once (a stop, or the task lost)
     */
    void duringAction();

    TaskControl NONE = new TaskControl() {
        @Override
        public void betweenActions() {
        }

        @Override
        public void duringAction() {
        }
    };
}
