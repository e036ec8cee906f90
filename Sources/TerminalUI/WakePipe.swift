#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A pipe that wakes the curses thread from `poll` when a frame is ready (the self-pipe trick):
/// `signal` from any thread writes a byte, `wait` sleeps until that byte or input on the tty.
struct WakePipe: Sendable {
    private let readEnd: Int32
    private let writeEnd: Int32

    init() throws(TerminalUIError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw .pipeFailed(errno: errno) }
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    /// Wakes `wait` (a full pipe already means "wake up": the byte is dropped).
    func signal() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Sleeps until `descriptor` is readable, `signal` was called, or `milliseconds` pass; then
    /// empties the pipe.
    func wait(alsoOn descriptor: Int32, milliseconds: Int32) {
        var fds = [
            pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0),
        ]
        _ = poll(&fds, 2, milliseconds)
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(readEnd, &buffer, buffer.count) > 0 {}
    }

    /// Closes both ends (after the curses thread has ended).
    func release() {
        _ = close(readEnd)
        _ = close(writeEnd)
    }
}
