import Foundation
import Synchronization

/// Caches temporary credentials and fetches new ones shortly before they expire (by default five
/// minutes ahead, as the AWS SDKs do), so no request is signed with credentials about to lapse.
/// Concurrent callers during a refresh share one fetch.
actor RefreshingCredentials {
    typealias Fetch = @Sendable () async throws(ObjectStorageError) -> AWSCredentials

    private let fetch: Fetch
    private let refreshAhead: TimeInterval
    private let now: @Sendable () -> Date
    private var cached: AWSCredentials?
    private var inFlight: Task<Result<AWSCredentials, ObjectStorageError>, Never>?

    init(refreshAhead: TimeInterval = 300, now: @escaping @Sendable () -> Date = { Date() }, fetch: @escaping Fetch) {
        self.fetch = fetch
        self.refreshAhead = refreshAhead
        self.now = now
    }

    func credentials() async throws(ObjectStorageError) -> AWSCredentials {
        if let cached, !needsRefresh(cached) { return cached }
        let task: Task<Result<AWSCredentials, ObjectStorageError>, Never>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = fetch
            task = Task { do throws(ObjectStorageError) { return .success(try await fetch()) } catch { return .failure(error) } }
            inFlight = task
        }
        let result = await task.value
        if inFlight == task { inFlight = nil }
        switch result {
        case .success(let fresh):
            cached = fresh
            return fresh
        case .failure(let error):
            // Credentials that have not expired yet still work: keep signing with them.
            if let cached, let expiration = cached.expiration, expiration > now() { return cached }
            throw error
        }
    }

    private func needsRefresh(_ credentials: AWSCredentials) -> Bool {
        guard let expiration = credentials.expiration else { return false }
        return expiration.timeIntervalSince(now()) < refreshAhead
    }
}
