#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Starts `body` on a new POSIX thread of its own named `name` (detached: nothing joins it). For
/// work that blocks in a system call for long (a curl transfer, the curses input loop) and must
/// not hold a thread of Swift's cooperative pool. Returns false when the system refuses a thread.
@discardableResult
public func startDetachedThread(named name: String, _ body: @escaping @Sendable () -> Void) -> Bool {
    let box = Unmanaged.passRetained(ThreadBody(name: name, run: body)).toOpaque()
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    defer { pthread_attr_destroy(&attributes) }
    pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
    #if canImport(Glibc)
        var thread = pthread_t()
    #else
        var thread: pthread_t?
    #endif
    let started = pthread_create(
        &thread, &attributes,
        { context in
            let body = Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue()
            nameThisThread(body.name)
            body.run()
            return nil
        }, box)
    guard started == 0 else {
        Unmanaged<ThreadBody>.fromOpaque(box).release()
        return false
    }
    return true
}

private final class ThreadBody: Sendable {
    let name: String
    let run: @Sendable () -> Void

    init(name: String, run: @escaping @Sendable () -> Void) {
        self.name = name
        self.run = run
    }
}

/// Names the calling thread (what top -H, ps -L and gdb show; 15 bytes at most on Linux).
private func nameThisThread(_ name: String) {
    #if canImport(Glibc)
        // pthread_setname_np is hidden behind _GNU_SOURCE in Glibc's module: the kernel's file.
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        let bytes = Array(name.utf8.prefix(15))
        _ = write(descriptor, bytes, bytes.count)
        _ = close(descriptor)
    #else
        _ = pthread_setname_np(name)
    #endif
}
