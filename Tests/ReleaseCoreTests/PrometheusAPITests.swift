import ReleaseCore
import Testing

@Suite("Prometheus API answers")
struct PrometheusAPITests {
    static func data(_ text: String, status: Int = 200) throws -> JSONValue {
        try PrometheusAPI.data(status: status, body: Array(text.utf8))
    }

    @Test("reads an instant vector, NaN and infinities included")
    func readsVector() throws {
        let body = """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"job":"api"},"value":[1795544100.5,"1"]},
              {"metric":{},"value":[1795544100.5,"NaN"]},
              {"metric":{},"value":[1795544100.5,"+Inf"]}]}}
            """
        let samples = try PrometheusAPI.vector(Self.data(body))
        #expect(samples.count == 3)
        #expect(samples[0].labels == ["job": "api"])
        #expect(samples[0].time == 1_795_544_100.5)
        #expect(samples[0].value == 1)
        #expect(samples[1].value.isNaN)
        #expect(samples[2].value == .infinity)
    }

    @Test("reads a scalar answer as one sample")
    func readsScalar() throws {
        let samples = try PrometheusAPI.vector(
            Self.data("{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[10,\"2.5\"]}}"))
        #expect(samples.map(\.value) == [2.5])
    }

    @Test("reads a range matrix")
    func readsMatrix() throws {
        let body = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"job":"api"},"values":[[100,"1"],[110,"NaN"],[120,"3"]]}]}}
            """
        let series = try PrometheusAPI.matrix(Self.data(body))
        #expect(series.count == 1)
        #expect(series[0].samples.map(\.time) == [100, 110, 120])
        #expect(series[0].samples[1].value.isNaN)
    }

    @Test("reads alerts with their name, state and severity")
    func readsAlerts() throws {
        let body = """
            {"status":"success","data":{"alerts":[
              {"labels":{"alertname":"ApiDown","severity":"page"},"state":"firing","activeAt":"2026-11-24T18:00:00Z"},
              {"labels":{},"state":"pending"}]}}
            """
        let alerts = try PrometheusAPI.alerts(Self.data(body))
        #expect(
            alerts == [
                PrometheusAPI.Alert(
                    name: "ApiDown", state: "firing", severity: "page", activeAt: "2026-11-24T18:00:00Z"),
                PrometheusAPI.Alert(name: "(unnamed)", state: "pending", severity: nil, activeAt: nil),
            ])
    }

    @Test(
        "turns error answers into failures that say what happened",
        arguments: [
            (
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)\"}",
                400, "api_error", "exceeded maximum resolution of 11,000 points"
            ),
            (
                "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error\"}", 400, "api_error",
                "parse error"
            ),
            ("<html>Internal Server Error</html>", 500, "http_status", "HTTP 500"),
            ("{\"status\":\"success\",\"data\":", 200, "malformed_response", "not JSON"),
            ("{\"status\":\"success\"}", 200, "malformed_response", "no \"status\": \"success\" with \"data\""),
            ("{}", 503, "http_status", "HTTP 503"),
        ])
    func failures(body: String, status: Int, code: String, message: String) {
        #expect {
            try Self.data(body, status: status)
        } throws: { error in
            guard let failure = error as? PrometheusFailure else { return false }
            return failure.code == code && failure.description.contains(message)
        }
    }

    @Test(
        "rejects answers of the wrong shape",
        arguments: [
            "{\"resultType\":\"matrix\",\"result\":[]}", "{\"resultType\":\"vector\",\"result\":[{\"value\":[1]}]}",
            "{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}", "{\"resultType\":\"vector\"}",
        ])
    func rejectsWrongShapes(data: String) throws {
        let value = try JSONParser.parse(data)
        #expect(throws: PrometheusFailure.self) { try PrometheusAPI.vector(value) }
    }

    @Test("parses Prometheus' value strings", arguments: [("1.5", 1.5), ("-Inf", -Double.infinity), ("1e-3", 0.001)])
    func parsesValues(text: String, value: Double) {
        #expect(PrometheusAPI.parseValue(text) == value)
    }
}
