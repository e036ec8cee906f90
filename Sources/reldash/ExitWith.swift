/// Ends the process with `code` after a command already printed its output (no message).
struct ExitWith: Error {
    let code: Int32
}
