package org.rcptguard.launcher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import sun.misc.Signal;

/**
 * The JVMs a command started, stopped the last started first on Ctrl-C or SIGTERM (the James nodes before the
 * Cassandra they use), or when one of them exits on its own.
 */
final class Supervisor {
    private final List<Child> children = new ArrayList<>();
    private boolean stopping;

    private static final class Child {
        final String name;
        final long pid;
        final BooleanSupplier alive;
        final Runnable stop;

        Child(String name, long pid, BooleanSupplier alive, Runnable stop) {
            this.name = name;
            this.pid = pid;
            this.alive = alive;
            this.stop = stop;
        }
    }

    /** From now on Ctrl-C and SIGTERM stop every child, then this JVM with exit code 0. */
    void stopOnSignals() {
        Signal.handle(new Signal("INT"), signal -> exit(0));
        Signal.handle(new Signal("TERM"), signal -> exit(0));
    }

    synchronized void track(String name, long pid, BooleanSupplier alive, Runnable stop) {
        children.add(new Child(name, pid, alive, stop));
    }

    /** The first child that is no longer running, unless the children are being stopped. */
    synchronized Optional<String> exitedOnItsOwn() {
        return children.stream().filter(child -> !stopping && !child.alive.getAsBoolean())
            .map(child -> child.name).findFirst();
    }

    /** Stops every child and ends this JVM; a second caller (a signal during the stop) waits for the first. */
    void exit(int code) {
        stopAll();
        System.exit(code);
    }

    /** While a signal stops the children, the main thread, which may see one of them exit, must not report it. */
    synchronized void awaitIfStopping() throws InterruptedException {
        while (stopping) {
            wait();
        }
    }

    private synchronized void stopAll() {
        if (stopping) {
            return;
        }
        stopping = true;
        boolean stopped = false;
        for (int i = children.size() - 1; i >= 0; i--) {
            Child child = children.get(i);
            if (child.alive.getAsBoolean()) {
                if (!stopped) {
                    System.out.println();
                }
                stopped = true;
                System.out.println("rcptguard: stopping " + child.name + " (pid " + child.pid + ")...");
                child.stop.run();
            }
        }
        if (stopped) {
            System.out.println("rcptguard: stopped.");
        }
    }
}
