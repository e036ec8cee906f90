import ArgumentParser
import ReleaseApp

/// A typed flag value: parsed by ReleaseApp's `SettingValue` when the arguments are parsed, so a
/// bad `--timeout`, `--range` or `--to` is a usage error (exit 2) with the option's help.
struct Parsed<Value: SettingValue>: ExpressibleByArgument, Sendable {
    let value: Value
    /// The text given, shown as the default in help.
    let text: String

    init?(argument: String) {
        guard let value = Value(setting: argument) else { return nil }
        self.value = value
        self.text = argument
    }

    var defaultValueDescription: String { text }
}
