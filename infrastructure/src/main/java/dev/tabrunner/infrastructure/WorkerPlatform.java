package dev.tabrunner.infrastructure;

import java.io.File;

import software.amazon.awscdk.services.ecr.assets.Platform;
import software.amazon.awscdk.services.lambda.Architecture;

/**
 * The platform the worker image is built for. Its Java, Chromium and fonts come from Debian's multi-arch packages,
 * but the Playwright driver's {@code node} is a binary the Dockerfile copies from the Maven build: the build argument
 * {@value #BUILD_ARG} picks it, and the container-image build must have extracted that platform's binary
 * ({@code -Dworker.node.platform}). See ADR 0011.
 */
enum WorkerPlatform {
    X86_64("linux"),
    ARM_64("linux-arm64");

    /** The Dockerfile's {@code ARG} naming the driver's platform directory. */
    static final String BUILD_ARG = "NODE_PLATFORM";
    /** Where {@code container-image}'s Maven build extracts the driver's node binaries, next to the Dockerfile. */
    static final String DRIVER_DIRECTORY = "target/worker/playwright-driver/driver";

    private final String node;

    WorkerPlatform(String node) {
        this.node = node;
    }

    static WorkerPlatform of(Architecture architecture) {
        return Architecture.ARM_64.getName().equals(architecture.getName()) ? ARM_64 : X86_64;
    }

    /** The driver-bundle's directory of this platform's {@code node} (and the Maven property's value). */
    String node() {
        return node;
    }

    Platform docker() {
        return switch (this) {
            case X86_64 -> Platform.LINUX_AMD64;
            case ARM_64 -> Platform.LINUX_ARM64;
        };
    }

    /**
     * Fails when the worker's Maven build output is there but holds another platform's {@code node}: the image would
     * build, and every task would fail when the worker starts the driver. Without build output there is nothing to
     * check (synth needs none; {@code docker build} stops at its {@code COPY}).
     *
     * @param imageDirectory the directory of the worker's Dockerfile
     * @throws IllegalArgumentException naming the Maven command that builds the right binary
     */
    void requireBuiltFor(File imageDirectory) {
        File drivers = new File(imageDirectory, DRIVER_DIRECTORY);
        if (drivers.isDirectory() && !new File(drivers, node + "/node").isFile()) {
            throw new IllegalArgumentException("the worker build in " + drivers.getAbsolutePath()
                    + " has no Playwright node for " + node + ": run `mvn -B -ntp -pl container-image -am package"
                    + " -DskipTests -Dworker.node.platform=" + node + "` at the repository root, or deploy for the"
                    + " architecture it was built for (-c architecture=...)");
        }
    }
}
