import Foundation

/// One dispatched Server-Sent Event.
public struct ServerSentEvent: Sendable, Equatable {
    /// `event:`; `message` when the server sent none.
    public var event: String
    /// `data:` lines joined with newlines.
    public var data: String
    /// `id:`, the resume point (`Last-Event-ID`) once this event is dispatched.
    public var id: String?

    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// The `text/event-stream` format as a pure state machine: bytes in (in any chunking), events out.
/// Lines end in LF, CRLF or CR; `:` lines are comments (heartbeats); a blank line dispatches the
/// event being built; `retry:` sets the reconnection delay. An event without data is not
/// dispatched (the format's rule), but its `id:` still moves the resume point.
public struct ServerSentEventParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var event = ""
    private var data: [String] = []
    private var hasData = false
    /// The last `id:` seen (the value to resume from).
    public private(set) var lastEventId: String?
    /// The last valid `retry:` value, in milliseconds.
    public private(set) var retryMillis: Int?
    /// Comment lines seen (heartbeats), for tests and liveness.
    public private(set) var comments = 0
    /// The most a single line may hold before the stream is refused (a server that never ends a line).
    public var maxLineBytes = 1 << 20

    public init() {}

    /// Feeds bytes; returns the events they complete. Throws when a line exceeds `maxLineBytes`.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(GatewayClientError) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }
            }
            switch byte {
            case 0x0A:
                if let event = endLine() { events.append(event) }
            case 0x0D:
                lastWasCR = true
                if let event = endLine() { events.append(event) }
            default:
                line.append(byte)
                if line.count > maxLineBytes { throw .unexpected("an event-stream line longer than \(maxLineBytes) bytes") }
            }
        }
        return events
    }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") {
            comments += 1
            return nil
        }
        let text = String(decoding: line, as: UTF8.self)
        let field: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            field = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            field = text[...]
            value = ""
        }
        switch field {
        case "event": event = String(value)
        case "data":
            data.append(String(value))
            hasData = true
        case "id" where !value.contains("\0"): lastEventId = String(value)
        case "retry": if let millis = Int(value), millis >= 0, value.allSatisfy(\.isASCII) { retryMillis = millis }
        default: break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            event = ""
            data = []
            hasData = false
        }
        guard hasData else { return nil }
        return ServerSentEvent(event: event.isEmpty ? "message" : event, data: data.joined(separator: "\n"), id: lastEventId)
    }
}
