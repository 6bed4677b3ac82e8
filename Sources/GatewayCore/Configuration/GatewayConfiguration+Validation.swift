import Foundation

extension GatewayConfiguration {
    /// Every problem in the configuration, each naming its key path; empty when valid.
    public func validate() -> [ConfigurationError.Problem] {
        var problems: [ConfigurationError.Problem] = []
        func add(_ path: String, _ message: String) { problems.append(.init(path: path, message: message)) }
        // Every number here feeds arithmetic somewhere (see ConfigurationBounds); NaN is in no range.
        func bound<T: Comparable & CustomStringConvertible>(_ path: String, _ value: T?, _ range: ClosedRange<T>) {
            guard let value, !range.contains(value) else { return }
            add(path, "must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
        }

        if !applicationContextPath.hasPrefix("/") {
            add("applicationContextPath", "must start with \"/\" (got \"\(applicationContextPath)\")")
        }
        bound("statusCacheExpireMillis", statusCacheExpireMillis, ConfigurationBounds.statusCacheExpireMillis)
        bound("memoryMbSecondCost", memoryMbSecondCost, ConfigurationBounds.costRate)
        bound("vCoreSecondCost", vCoreSecondCost, ConfigurationBounds.costRate)

        var queueNames: [String: Int] = [:]
        for (index, queue) in (queues ?? []).enumerated() {
            let path = "queues[\(index)]"
            if queue.name.isEmpty { add("\(path).name", "is required") }
            if let first = queueNames[queue.name.lowercased()] {
                add("\(path).name", "duplicate queue \"\(queue.name)\" (also queues[\(first)])")
            } else {
                queueNames[queue.name.lowercased()] = index
            }
            bound("\(path).maxRunningMillis", queue.maxRunningMillis, ConfigurationBounds.maxRunningMillis)
            bound("\(path).maxExecutorInstances", queue.maxExecutorInstances, ConfigurationBounds.maxExecutorInstances)
            for (key, ratio) in [
                ("driverCPUBufferRatio", queue.driverCPUBufferRatio), ("executorCPUBufferRatio", queue.executorCPUBufferRatio),
                ("driverMemBufferRatio", queue.driverMemBufferRatio), ("executorMemBufferRatio", queue.executorMemBufferRatio),
            ] {
                bound("\(path).\(key)", ratio, ConfigurationBounds.bufferRatio)
            }
            for (zoneIndex, zone) in (queue.allowedZones ?? []).enumerated()
            where zone.trimmingCharacters(in: .whitespaces).isEmpty {
                add("\(path).allowedZones[\(zoneIndex)]", "zone must not be empty")
            }
        }

        var clusterIds: [String: Int] = [:]
        for (index, cluster) in sparkClusters.enumerated() {
            let path = "sparkClusters[\(index)]"
            if cluster.id.isEmpty {
                add("\(path).id", "is required")
            } else if !KubernetesName.isDNSLabel(cluster.id) || cluster.id.count > 20 {
                add(
                    "\(path).id",
                    "\"\(cluster.id)\" must be 1-20 lowercase letters, digits or '-', starting and ending with a letter or digit (it prefixes Kubernetes names)"
                )
            }
            if let first = clusterIds[cluster.id] {
                add("\(path).id", "duplicate cluster id \"\(cluster.id)\" (also sparkClusters[\(first)])")
            } else {
                clusterIds[cluster.id] = index
            }
            bound("\(path).weight", cluster.weight, ConfigurationBounds.clusterWeight)
            bound("\(path).timeoutMillis", cluster.timeoutMillis, ConfigurationBounds.clusterTimeoutMillis)
            bound("\(path).ttlSeconds", cluster.ttlSeconds, ConfigurationBounds.ttlSeconds)
            bound("\(path).sparkUIOptions.servicePort", cluster.sparkUIOptions?.servicePort, ConfigurationBounds.servicePort)
            if let queues {
                for (queueIndex, name) in cluster.queues.enumerated()
                where !queues.contains(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) {
                    add("\(path).queues[\(queueIndex)]", "queue \"\(name)\" is not configured under queues")
                }
            }
            for (versionIndex, version) in cluster.sparkVersions.enumerated() where version.isEmpty {
                add("\(path).sparkVersions[\(versionIndex)]", "must not be empty")
            }
        }
        for (id, capacity) in gateway.routing.clusterCapacity {
            if clusterIds[id] == nil { add("gateway.routing.clusterCapacity.\(id)", "no cluster has this id") }
            bound("gateway.routing.clusterCapacity.\(id)", capacity, ConfigurationBounds.clusterCapacity)
        }

        for (index, image) in sparkImages.enumerated() {
            let path = "sparkImages[\(index)]"
            if image.name.isEmpty { add("\(path).name", "is required") }
            if image.version.isEmpty { add("\(path).version", "is required") }
            if image.types.isEmpty { add("\(path).types", "must list at least one application type") }
        }

        if let db = dbStorageSOPS, !db.dbName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "$" || $0 == "_") }) {
            add("dbStorageSOPS.dbName", "must match [0-9a-zA-Z$_]+ (got \"\(db.dbName)\")")
        }
        for (index, connector) in (server?.applicationConnectors ?? []).enumerated() {
            if let port = connector.port, !(0...65535).contains(port) {
                add("server.applicationConnectors[\(index)].port", "must be 0-65535")
            }
        }

        let routing = gateway.routing
        bound("gateway.routing.maxAttempts", routing.maxAttempts, ConfigurationBounds.maxAttempts)
        if !(1...86_400).contains(routing.unknownOutcomeWindowSeconds) {
            add("gateway.routing.unknownOutcomeWindowSeconds", "must be between 1 and 86400")
        }
        bound(
            "gateway.routing.backlogHalfWeightPending", routing.backlogHalfWeightPending,
            ConfigurationBounds.backlogHalfWeightPending)
        bound("gateway.routing.runningWeight", routing.runningWeight, ConfigurationBounds.runningWeight)
        let health = gateway.health
        bound("gateway.health.probeIntervalMillis", health.probeIntervalMillis, ConfigurationBounds.probeIntervalMillis)
        bound("gateway.health.probeTimeoutMillis", health.probeTimeoutMillis, ConfigurationBounds.probeTimeoutMillis)
        bound("gateway.health.failureThreshold", health.failureThreshold, ConfigurationBounds.healthThreshold)
        bound("gateway.health.recoveryThreshold", health.recoveryThreshold, ConfigurationBounds.healthThreshold)
        let http = gateway.http
        if !(1...1_000_000).contains(http.maxConnections) { add("gateway.http.maxConnections", "must be 1-1000000") }
        if !(0...1_000_000).contains(http.maxConnectionsPerAddress) {
            add("gateway.http.maxConnectionsPerAddress", "must be 0 (no limit) to 1000000")
        }
        if !(1...3600).contains(http.headerTimeoutSeconds) { add("gateway.http.headerTimeoutSeconds", "must be 1-3600") }
        let storage = gateway.objectStorage
        // An upload is held in memory (the HTTP server reads whole bodies), so 5 GiB is the ceiling.
        if !(1...(5 << 30)).contains(storage.maxUploadBytes) { add("gateway.objectStorage.maxUploadBytes", "must be 1-5368709120") }
        if !((5 << 20)...(5 << 30)).contains(storage.partSizeBytes) {
            add("gateway.objectStorage.partSizeBytes", "must be 5242880 (5 MiB, S3's smallest part) to 5368709120")
        }
        let archive = storage.logArchive
        if !(1...86_400).contains(archive.sweepIntervalSeconds) { add("gateway.objectStorage.logArchive.sweepIntervalSeconds", "must be 1-86400") }
        if !(1...86_400).contains(archive.retryInitialSeconds) { add("gateway.objectStorage.logArchive.retryInitialSeconds", "must be 1-86400") }
        // A maximum below the initial wait caps every wait at the maximum: not an error.
        if !(1...604_800).contains(archive.retryMaxSeconds) { add("gateway.objectStorage.logArchive.retryMaxSeconds", "must be 1-604800") }
        if !(1...10_000).contains(archive.maxAttempts) { add("gateway.objectStorage.logArchive.maxAttempts", "must be 1-10000") }
        if !(10...86_400).contains(archive.claimSeconds) { add("gateway.objectStorage.logArchive.claimSeconds", "must be 10-86400") }
        if !(1...1000).contains(archive.batchSize) { add("gateway.objectStorage.logArchive.batchSize", "must be 1-1000") }
        if gateway.auth.mode == .htpasswd, (gateway.auth.htpasswdFile ?? "").isEmpty {
            add("gateway.auth.htpasswdFile", "is required when gateway.auth.mode is htpasswd")
        }
        let auth = gateway.auth
        if !(0...1_000_000).contains(auth.maxFailuresPerAddress) {
            add("gateway.auth.maxFailuresPerAddress", "must be 0-1000000")
        }
        if !(1...86_400).contains(auth.failureWindowSeconds) { add("gateway.auth.failureWindowSeconds", "must be 1-86400") }
        if !(0...86_400).contains(auth.credentialCacheSeconds) { add("gateway.auth.credentialCacheSeconds", "must be 0-86400") }
        if !(0...64).contains(auth.hashingThreads) { add("gateway.auth.hashingThreads", "must be 0-64") }
        if gateway.auth.mode == .trustedHeader, gateway.auth.trustedProxies.isEmpty {
            add("gateway.auth.trustedProxies", "is required when gateway.auth.mode is trustedHeader")
        }
        if gateway.store.backend == .sqlite, (gateway.store.sqlitePath ?? "").isEmpty {
            add("gateway.store.sqlitePath", "is required when gateway.store.backend is sqlite")
        }
        if gateway.store.backend == .mysql, (dbStorageSOPS?.connectionString ?? "").isEmpty {
            add("dbStorageSOPS.connectionString", "is required when gateway.store.backend is mysql")
        }
        for problem in gateway.livy.problems() { add(problem.path, problem.message) }
        for problem in gateway.statusStream.problems() { add(problem.path, problem.message) }
        return problems
    }
}
