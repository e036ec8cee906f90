/// Cuts a byte stream into text lines as chunks arrive: `\n` ends a line, a `\r` before it is
/// dropped, a line longer than `maximumLength` bytes is cut there (never held back forever), and
/// invalid UTF-8 is replaced rather than fatal.
public struct LineAssembler: Sendable {
    public let maximumLength: Int
    private var pending: [UInt8] = []

    public init(maximumLength: Int = 16_384) {
        self.maximumLength = max(1, maximumLength)
    }

    /// The lines completed by `bytes`.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> [String] {
        var lines: [String] = []
        for byte in bytes {
            if byte == 0x0A {
                lines.append(take())
            } else {
                pending.append(byte)
                if pending.count >= maximumLength { lines.append(take()) }
            }
        }
        return lines
    }

    /// The last line when the stream ends without a newline (nil when nothing is pending).
    public mutating func finish() -> String? {
        pending.isEmpty ? nil : take()
    }

    private mutating func take() -> String {
        if pending.last == 0x0D { pending.removeLast() }
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        return line
    }
}
