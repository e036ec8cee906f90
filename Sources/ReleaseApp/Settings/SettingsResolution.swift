import ReleaseCore

extension Settings {
    /// Resolves the settings of one run: defaults, then the config file (`configPath`, else
    /// `RELDASH_CONFIG`), then the environment, then `flags`. `readFile` gives a file's bytes, nil
    /// when it cannot be read. Every failure is a usage error (exit 2) saying which value is wrong.
    public static func resolve(
        flags: SettingsLayer, configPath: String?, environment: [String: String],
        readFile: (String) -> [UInt8]?
    ) throws(AppFailure) -> Settings {
        do throws(SettingsError) {
            var settings = Settings()
            let path = configPath ?? environment["RELDASH_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
            if let path {
                guard let bytes = readFile(path) else { throw SettingsError.unreadable(file: path) }
                settings = settings.applying(try ConfigFile.parse(String(decoding: bytes, as: UTF8.self), name: path))
            }
            settings = settings.applying(try SettingsLayer.environment(environment))
            return settings.applying(flags)
        } catch .unreadable(let file) {
            throw AppFailure(
                code: "config_unreadable", message: SettingsError.unreadable(file: file).description, status: .usage)
        } catch {
            throw .usage(error.description)
        }
    }
}
