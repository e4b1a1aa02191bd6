package io.vigil.soak.internal;

/**
 * One row of the soak log.
 *
 * @param framesPerSecond results per second since the previous sample
 * @param heapMegabytes   Java heap in use after a collection (what the run keeps, not garbage yet to go)
 * @param heapCommittedMegabytes Java heap the JVM holds from the OS after that collection
 * @param residentMegabytes the process's resident memory (VmRSS) once the collection's freed heap has
 *                        gone back to the OS: Java heap, native engine memory and the rest
 * @param liveArrays      engine arrays alive on all its managers; -1 when there is no engine
 */
record Sample(double elapsedSeconds, long results, double framesPerSecond, double heapMegabytes,
    double heapCommittedMegabytes, double residentMegabytes, long liveArrays, int threads, long detectorSwaps,
    long sourceSwaps, long errors) {}
