import Foundation
import Testing

@testable import KubeClient

struct KubeErrorTests {
    struct Case: Sendable, CustomStringConvertible {
        var status: Int
        var reason: String?
        var code: KubeError.Code
        var retriable: Bool
        var description: String { "\(status) \(reason ?? "-")" }
    }

    static let cases: [Case] = [
        Case(status: 400, reason: "BadRequest", code: .badRequest, retriable: false),
        Case(status: 401, reason: "Unauthorized", code: .unauthorized, retriable: false),
        Case(status: 403, reason: "Forbidden", code: .forbidden, retriable: false),
        Case(status: 404, reason: "NotFound", code: .notFound, retriable: false),
        Case(status: 409, reason: "AlreadyExists", code: .alreadyExists, retriable: false),
        Case(status: 409, reason: "Conflict", code: .conflict, retriable: false),
        Case(status: 410, reason: "Expired", code: .gone, retriable: false),
        Case(status: 410, reason: "Gone", code: .gone, retriable: false),
        Case(status: 422, reason: "Invalid", code: .invalid, retriable: false),
        Case(status: 429, reason: "TooManyRequests", code: .tooManyRequests, retriable: true),
        Case(status: 500, reason: "InternalError", code: .serverError, retriable: true),
        Case(status: 503, reason: "ServiceUnavailable", code: .serverError, retriable: true),
        Case(status: 418, reason: nil, code: .unexpectedStatus, retriable: false),
    ]

    @Test(arguments: cases)
    func statusBodiesMapToCodes(_ testCase: Case) throws {
        let status = Status(status: "Failure", message: "it failed", reason: testCase.reason, code: testCase.status)
        let body = try JSONEncoder().encode(status)
        let error = KubeError.fromResponse(clusterID: "c1", httpStatus: testCase.status, headers: [:], body: body)
        #expect(error.code == testCase.code)
        #expect(error.isRetriable == testCase.retriable)
        #expect(error.clusterID == "c1")
        #expect(error.httpStatus == testCase.status)
        #expect(error.message == "it failed")
        #expect(error.description.contains("c1") && error.description.contains("\(testCase.code)"))
    }

    @Test func invalidCarriesItsCauses() {
        let body = Data(#"""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"SparkApplication.sparkoperator.k8s.io \"x\" is invalid","reason":"Invalid",
             "details":{"name":"x","group":"sparkoperator.k8s.io","kind":"SparkApplication","causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.driver"}]},"code":422}
            """#.utf8)
        let error = KubeError.fromResponse(clusterID: "c", httpStatus: 422, headers: [:], body: body)
        #expect(error.code == .invalid)
        #expect(error.causes == [Status.Cause(reason: "FieldValueRequired", message: "Required value", field: "spec.driver")])
        #expect(error.status?.details?.kind == "SparkApplication")
    }

    @Test func retryAfterComesFromTheHeaderOrTheDetails() throws {
        let fromHeader = KubeError.fromResponse(clusterID: "c", httpStatus: 429, headers: ["retry-after": "3"], body: Data())
        #expect(fromHeader.retryAfter == .seconds(3))
        let body = try JSONEncoder().encode(Status(status: "Failure", reason: "TooManyRequests", details: .init(retryAfterSeconds: 7), code: 429))
        let fromDetails = KubeError.fromResponse(clusterID: "c", httpStatus: 429, headers: [:], body: body)
        #expect(fromDetails.retryAfter == .seconds(7))
    }

    @Test func aNonStatusBodyKeepsAShortPrintablePrefix() {
        let html = Data(("<html>\n<body>bad gateway</body>\n</html>" + String(repeating: "x", count: 500)).utf8)
        let error = KubeError.fromResponse(clusterID: "c", httpStatus: 502, headers: [:], body: html)
        #expect(error.code == .serverError)
        #expect(error.status == nil)
        #expect(error.message.hasPrefix("<html> <body>bad gateway"))
        #expect(error.message.count <= 200)
    }

    @Test func transportFailuresAreRetriable() {
        for kind: TransferFailure.Kind in [.connectionRefused, .dns, .tls, .timeout, .other] {
            let error = TransferFailure(kind: kind, curlCode: 7, function: "curl_multi_perform", message: "boom").kubeError(clusterID: "c")
            #expect(error.isRetriable, "\(kind)")
            #expect(error.isTransportFailure)
            #expect(error.message.contains("curl_multi_perform"))
        }
        for kind: TransferFailure.Kind in [.cancelled, .shutdown, .tooLarge, .setup] {
            #expect(!TransferFailure(kind: kind, curlCode: 0, function: "f", message: "").kubeError(clusterID: "c").isRetriable)
        }
    }
}
