import Foundation

extension KubeAPI {
    /// `?watch=true`: a chunked stream of newline-delimited watch events. A resourceVersion older than
    /// the kept history gets one ERROR event carrying a 410 Expired Status (HTTP 200, as the watch
    /// cache answers); `timeoutSeconds` ends the stream; `allowWatchBookmarks` adds periodic BOOKMARKs.
    func watch(_ request: APIRequest, _ resource: ResourceType, namespace: String?) throws(KubeStatus) -> APIResponse {
        let filter = try objectFilter(request, resource, namespace: namespace)
        let start: ObjectStore.WatchStart
        switch request.queryValue("resourceVersion") {
        case nil, "", "0":
            start = .currentState
        case let text?:
            guard let version = Int(text), version >= 0 else {
                throw KubeStatus.badRequest("resourceVersion: Invalid value: \"\(text)\": must be a non-negative integer")
            }
            start = .after(version)
        }
        var timeout = settings.defaultWatchTimeout
        if let text = request.queryValue("timeoutSeconds"), !text.isEmpty {
            guard let seconds = Int(text), seconds >= 0 else {
                throw KubeStatus.badRequest("timeoutSeconds: Invalid value: \"\(text)\": must be a non-negative integer")
            }
            if seconds > 0 { timeout = .seconds(seconds) }
        }
        let watchTimeout = timeout
        let bookmarks = request.flag("allowWatchBookmarks")
        let bookmarkInterval = settings.bookmarkInterval
        // `kubectl get -w` asks for Tables: each event then carries a one-row Table, as from the real server.
        let asTable = TableFormat.isRequested(request)

        let store = self.store
        let events = { @Sendable (subscription: ObjectStore.Subscription, write: APIResponse.ChunkWriter) async throws in
            try await Self.stream(
                subscription, resource: resource, asTable: asTable, timeout: watchTimeout, bookmarks: bookmarks,
                bookmarkInterval: bookmarkInterval, write: write)
        }
        if case .after(let version) = start, version > store.resourceVersion {
            // A version from the future: the watch cache waits a few seconds for it to arrive, then
            // answers with a 504 "Too large resource version" ERROR event.
            let wait = settings.futureVersionWait
            return APIResponse(
                status: 200, headers: [("Content-Type", "application/json")],
                body: .stream { write in
                    let deadline = ContinuousClock.now + wait
                    while store.resourceVersion < version, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let current = store.resourceVersion
                    guard current >= version, let subscription = try? store.watch(resource, filter: filter, from: start) else {
                        var status = KubeStatus(
                            code: 504, reason: "Timeout",
                            message: "Timeout: Too large resource version: \(version), current: \(current)")
                        status.causes = [.init(reason: "ResourceVersionTooLarge", message: "Too large resource version", field: "")]
                        status.retryAfterSeconds = 1
                        try await write(WatchEvent(type: .error, object: status.object).line)
                        return
                    }
                    try await events(subscription, write)
                })
        }
        let subscription: ObjectStore.Subscription
        do {
            subscription = try store.watch(resource, filter: filter, from: start)
        } catch where error.code == 410 {
            let line = WatchEvent(type: .error, object: error.object).line
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream { write in try await write(line) })
        }
        return APIResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: .stream { write in try await events(subscription, write) })
    }

    /// Writes a subscription's events (as Tables when asked) with bookmarks, until the timeout, the
    /// client leaving or the store closing the watch.
    private static func stream(
        _ subscription: ObjectStore.Subscription, resource: ResourceType, asTable: Bool, timeout watchTimeout: Duration, bookmarks: Bool,
        bookmarkInterval: Duration, write: APIResponse.ChunkWriter
    ) async throws {
        let timer = Task {
            let clock = ContinuousClock()
            let deadline = clock.now + watchTimeout
            while !Task.isCancelled {
                let next = bookmarks ? min(clock.now + bookmarkInterval, deadline) : deadline
                try? await Task.sleep(until: next, clock: clock)
                if Task.isCancelled { return }
                if clock.now >= deadline {
                    subscription.cancel()
                    return
                }
                subscription.requestBookmark()
            }
        }
        defer {
            timer.cancel()
            subscription.cancel()
        }
        for await event in subscription.events {
            guard asTable, event.type != .bookmark, event.type != .error else {
                try await write(event.line)
                continue
            }
            let table = TableFormat.table(for: resource, objects: [event.object], resourceVersion: event.object.resourceVersion, continueToken: nil)
            try await write(WatchEvent(type: event.type, object: table).line)
        }
    }
}
