import Foundation
import JSON
import Logging

/// Drives one list-then-watch loop for `KubernetesClient.watch`: pulls bytes from the stream only when the
/// consumer asks for the next event (so a slow consumer pauses the transfer instead of buffering),
/// and does what `WatchStateMachine` says.
///
/// An actor because `AsyncStream(unfolding:)` needs a `Sendable` producer; it has a single consumer.
actor Informer<Object: KubeObject> {
    private enum Phase {
        case acting(WatchStateMachine.Action)
        case reading(StreamBuffer)
    }

    private let client: KubernetesClient
    private let resource: KubeResource
    private let namespace: String?
    private let options: WatchOptions
    private var machine: WatchStateMachine
    private var phase: Phase
    private var lines: LineBuffer
    private let decoder = JSONValueDecoder()
    private var logger: Logger

    init(client: KubernetesClient, resource: KubeResource, namespace: String?, options: WatchOptions, seed: UInt64) {
        self.client = client
        self.resource = resource
        self.namespace = namespace
        self.options = options
        var machine = WatchStateMachine(backoff: options.backoff, seed: seed)
        self.phase = .acting(machine.handle(.start))
        self.machine = machine
        self.lines = LineBuffer(maxLineBytes: client.maxWatchLineBytes)
        var logger = client.logger
        logger[metadataKey: "resource"] = resource.description
        self.logger = logger
    }

    deinit {
        if case .reading(let stream) = phase { stream.cancel() }
    }

    /// The next event for the consumer; `nil` once the consuming task is cancelled or the client shut down.
    func next() async -> WatchEvent<Object>? {
        while true {
            if Task.isCancelled {
                stop()
                return nil
            }
            if case .acting(.stop) = phase { return nil }
            switch phase {
            case .reading(let stream):
                if let event = await readOne(from: stream) { return event }
            case .acting(let action):
                if let event = await perform(action) { return event }
            }
        }
    }

    private func stop() {
        if case .reading(let stream) = phase { stream.cancel() }
        phase = .acting(machine.handle(.cancel))
    }

    private func feed(_ event: WatchStateMachine.Event) {
        let action = machine.handle(event)
        switch action {
        case .deliver, .keepReading, .ignore:
            return  // keep the current phase
        default:
            if case .reading(let stream) = phase { stream.cancel() }
            lines = LineBuffer(maxLineBytes: client.maxWatchLineBytes)
            phase = .acting(action)
        }
    }

    /// Reads until one event can be delivered or the phase changes.
    private func readOne(from stream: StreamBuffer) async -> WatchEvent<Object>? {
        while case .reading = phase {
            let line: Data?
            do {
                line = try lines.nextLine()
            } catch {
                logger.debug("watch line over \(error.limit) bytes; reconnecting")
                feed(.watchFailed)
                return nil
            }
            guard let line else {
                do {
                    guard let chunk = try await stream.next() else {
                        logger.trace("watch stream ended; reconnecting")
                        feed(.streamEnded)
                        return nil
                    }
                    lines.append(chunk)
                } catch {
                    if Task.isCancelled { return nil }
                    if let failure = error as? TransferFailure, failure.kind == .shutdown {
                        stop()
                        return nil
                    }
                    logger.debug("watch stream failed; backing off", metadata: ["error": "\(error)"])
                    feed(.watchFailed)
                    return nil
                }
                continue
            }
            let decoded: WatchLine<Object>
            do {
                decoded = try decoder.decode(WatchLine<Object>.self, from: line)
            } catch {
                logger.debug("undecodable watch line; reconnecting", metadata: ["error": KubernetesClient.describe(error)])
                feed(.watchFailed)
                return nil
            }
            switch decoded.payload {
            case .added(let object):
                feed(.objectEvent(.added, resourceVersion: object.metadata.resourceVersion))
                return .added(object)
            case .modified(let object):
                feed(.objectEvent(.modified, resourceVersion: object.metadata.resourceVersion))
                return .modified(object)
            case .deleted(let object):
                feed(.objectEvent(.deleted, resourceVersion: object.metadata.resourceVersion))
                return .deleted(object)
            case .bookmark(let version):
                feed(.objectEvent(.bookmark, resourceVersion: version))
            case .error(let status):
                if status.code == 410 || status.reason == "Expired" || status.reason == "Gone" {
                    logger.debug("watch expired (410 event); re-listing")
                    feed(.expired)
                } else {
                    logger.debug("watch ERROR event; backing off", metadata: ["status": "\(status.code ?? 0)"])
                    feed(.watchFailed)
                }
                return nil
            }
        }
        return nil
    }

    private func perform(_ action: WatchStateMachine.Action) async -> WatchEvent<Object>? {
        switch action {
        case .list, .closeAndList:
            do {
                let list = try await client.listAll(
                    Object.self, resource, namespace: namespace,
                    options: ListOptions(labelSelector: options.labelSelector, fieldSelector: options.fieldSelector),
                    pageSize: options.listPageSize)
                feed(.listSucceeded(resourceVersion: list.metadata.resourceVersion ?? ""))
                return .resynced(list.items)
            } catch {
                if error.code == .cancelled || Task.isCancelled { return nil }
                if error.code == .shutdown {
                    stop()
                    return nil
                }
                logger.debug("list failed; backing off", metadata: ["error": "\(error.code)"])
                feed(error.code == .gone ? .expired : .listFailed)
                return nil
            }
        case .resyncAndWatch(let version), .watch(let version):
            do {
                let stream = try await client.openStream(resource.path(namespace: namespace), query: watchQuery(version))
                phase = .reading(stream)
            } catch {
                if error.code == .cancelled || Task.isCancelled { return nil }
                if error.code == .shutdown {
                    stop()
                    return nil
                }
                logger.debug("watch failed to open", metadata: ["error": "\(error.code)"])
                feed(error.code == .gone ? .expired : .watchFailed)
            }
            return nil
        case .closeAndWait(let delay):
            do {
                try await Task.sleep(for: delay)
            } catch {
                return nil
            }
            feed(.timerFired)
            return nil
        case .stop:
            return nil
        case .deliver, .keepReading, .ignore:
            // Never stored as a phase (see `feed`); treat as a programming slip and re-list.
            phase = .acting(.list)
            return nil
        }
    }

    private func watchQuery(_ version: String) -> QueryString {
        var query = QueryString()
        query.add("watch", "true")
        if !version.isEmpty { query.add("resourceVersion", version) }
        if options.allowWatchBookmarks { query.add("allowWatchBookmarks", "true") }
        query.add("timeoutSeconds", options.timeoutSeconds ?? Int.random(in: 300..<600))
        query.add("labelSelector", options.labelSelector)
        query.add("fieldSelector", options.fieldSelector)
        return query
    }
}
