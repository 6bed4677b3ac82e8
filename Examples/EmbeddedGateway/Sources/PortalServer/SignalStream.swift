import Dispatch
import Foundation

/// SIGINT and SIGTERM as an `AsyncStream`, delivered by dispatch sources on a queue of their own
/// (the signals' default action, terminating, is turned off).
///
/// Not in `main.swift`: closures written there are main-actor isolated, and a dispatch source
/// running one on its own queue traps on the isolation check.
///
/// `@unchecked Sendable`: `sources` is set once in `init`; dispatch sources may be used from any thread.
final class SignalStream: @unchecked Sendable {
    let received: AsyncStream<Int32>
    /// Kept for the life of the stream: a released source stops delivering.
    private let sources: [any DispatchSourceSignal]

    init(_ numbers: Int32...) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let queue = DispatchQueue(label: "portal.signals")
        received = stream
        sources = numbers.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
