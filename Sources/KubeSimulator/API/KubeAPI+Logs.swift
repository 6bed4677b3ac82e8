import Foundation

extension KubeAPI {
    /// `GET /api/v1/namespaces/{ns}/pods/{name}/log` with `container`, `tailLines`, `limitBytes` and
    /// `follow` (streams until the container exits).
    func podLog(_ request: APIRequest, namespace: String, name: String) throws(KubeStatus) -> APIResponse {
        let pod = try store.get(.pods, namespace: namespace, name: name)
        let containers = pod[path: ["spec", "containers"]]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        let container = request.queryValue("container") ?? containers.first ?? ""
        guard containers.contains(container) else {
            throw KubeStatus.badRequest("container \(container) is not valid for pod \(name)")
        }
        if pod[path: ["status", "phase"]]?.stringValue == "Pending" {
            throw KubeStatus.badRequest("container \"\(container)\" in pod \"\(name)\" is waiting to start: ContainerCreating")
        }
        func positive(_ parameter: String, allowZero: Bool) throws(KubeStatus) -> Int? {
            guard let text = request.queryValue(parameter), !text.isEmpty else { return nil }
            guard let value = Int(text), value > 0 || (allowZero && value == 0) else {
                throw KubeStatus.invalid(
                    .pods, name,
                    [.init(reason: "FieldValueInvalid", message: "Invalid value: \(text): must be greater than \(allowZero ? "or equal to " : "")0", field: parameter)])
            }
            return value
        }
        let tailLines = try positive("tailLines", allowZero: true)
        let limitBytes = try positive("limitBytes", allowZero: false)
        let textHeaders: [(name: String, value: String)] = [("Content-Type", "text/plain")]

        guard request.flag("follow") else {
            var lines = logs.lines(namespace: namespace, pod: name)
            if let tailLines { lines = Array(lines.suffix(tailLines)) }
            var data = Data(lines.map { $0 + "\n" }.joined().utf8)
            if let limitBytes, data.count > limitBytes { data = data.prefix(limitBytes) }
            return APIResponse(status: 200, headers: textHeaders, body: .data(data))
        }
        let stream = logs.follow(namespace: namespace, pod: name, tailLines: tailLines)
        return APIResponse(
            status: 200, headers: textHeaders,
            body: .stream { write in
                var remaining = limitBytes ?? Int.max
                for await line in stream {
                    var data = Data((line + "\n").utf8)
                    if data.count > remaining { data = data.prefix(remaining) }
                    try await write(data)
                    remaining -= data.count
                    if remaining <= 0 { return }
                }
            })
    }
}
