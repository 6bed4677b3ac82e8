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

        let subscription: ObjectStore.Subscription
        do {
            subscription = try store.watch(resource, filter: filter, from: start)
        } catch where error.code == 410 {
            let line = WatchEvent(type: .error, object: error.object).line
            return APIResponse(status: 200, headers: [("Content-Type", "application/json")], body: .stream { write in try await write(line) })
        }
        return APIResponse(
            status: 200, headers: [("Content-Type", "application/json")],
            body: .stream { write in
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
            })
    }
}
