/// What is wrong with a manifest.json that cannot be used, in words an operator can act on.
public enum ManifestProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not JSON at all (truncated write, hand edit, wrong file).
    case notJSON(JSONParser.SyntaxError)
    /// The document is JSON but not an object.
    case notAnObject(found: String)
    /// `schema_version` is missing or not one this reldash reads.
    case unsupportedSchemaVersion(String)
    /// A required field is absent.
    case missingField(String)
    /// A field has the wrong JSON type.
    case wrongType(field: String, expected: String, found: String)
    /// A field has the right type but a value that cannot be right.
    case invalidValue(field: String, reason: String)

    public var description: String {
        switch self {
        case .notJSON(let error):
            return "not valid JSON (\(error))"
        case .notAnObject(let found):
            return "expected a JSON object, found \(found)"
        case .unsupportedSchemaVersion(let found):
            return "schema_version \(found) is not supported (this reldash reads schema_version 1)"
        case .missingField(let field):
            return "required field '\(field)' is missing"
        case .wrongType(let field, let expected, let found):
            return "field '\(field)' should be \(expected), found \(found)"
        case .invalidValue(let field, let reason):
            return "field '\(field)' \(reason)"
        }
    }

    /// A stable identifier for `--json` output (`not_json`, `missing_field`, ...).
    public var code: String {
        switch self {
        case .notJSON: return "not_json"
        case .notAnObject: return "not_an_object"
        case .unsupportedSchemaVersion: return "unsupported_schema_version"
        case .missingField: return "missing_field"
        case .wrongType: return "wrong_type"
        case .invalidValue: return "invalid_value"
        }
    }
}
