/// Reads a request straight from a parsed JSON tree, without the `Codable` machinery, which was most of
/// the cost of a submission. It follows `init(from:)` field for field (lenient scalars, unknown nested
/// fields ignored, unknown top-level fields rejected); the property test checks the two agree.
extension SubmitApplicationRequest {
    init(tree: ConfigurationTree) throws(SubmissionError) {
        let r = TreeReader()
        let top = try r.object(tree, "") ?? [:]
        let unknown = top.keys.filter { CodingKeys(stringValue: $0) == nil }.sorted()
        if !unknown.isEmpty {
            throw SubmissionError.badRequest(
                "Unrecognized field\(unknown.count == 1 ? "" : "s") " + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " (known fields: " + CodingKeys.allCases.map(\.stringValue).joined(separator: ", ") + ")")
        }
        self.init()
        submissionIdSuffix = try r.string(top["submissionIdSuffix"], "submissionIdSuffix")
        applicationName = try r.string(top["applicationName"], "applicationName")
        type = try r.string(top["type"], "type")
        mode = try r.string(top["mode"], "mode")
        image = try r.string(top["image"], "image")
        spotInstance = try r.bool(top["spotInstance"], "spotInstance")
        sparkVersion = try r.string(top["sparkVersion"], "sparkVersion")
        mainClass = try r.string(top["mainClass"], "mainClass")
        mainApplicationFile = try r.string(top["mainApplicationFile"], "mainApplicationFile")
        arguments = try r.strings(top["arguments"], "arguments")
        sparkConf = try r.stringMap(top["sparkConf"], "sparkConf")
        volumes = try r.list(top["volumes"], "volumes") { node, path throws(SubmissionError) in try r.volume(node, path) }
        driver = try r.pod(top["driver"], "driver")
        executor = try r.pod(top["executor"], "executor")
        driverOverheadFactor = try r.double(top["driverOverheadFactor"], "driverOverheadFactor")
        executorOverheadFactor = try r.double(top["executorOverheadFactor"], "executorOverheadFactor")
        overheadFactor = try r.double(top["overheadFactor"], "overheadFactor")
        if let deps = try r.object(top["deps"], "deps") {
            self.deps = Dependencies(
                jars: try r.strings(deps["jars"], "deps.jars"), files: try r.strings(deps["files"], "deps.files"),
                pyFiles: try r.strings(deps["pyFiles"], "deps.pyFiles"), packages: try r.strings(deps["packages"], "deps.packages"),
                excludePackages: try r.strings(deps["excludePackages"], "deps.excludePackages"),
                repositories: try r.strings(deps["repositories"], "deps.repositories"),
                archives: try r.strings(deps["archives"], "deps.archives"))
        }
        pythonVersion = try r.string(top["pythonVersion"], "pythonVersion")
        imagePullPolicy = try r.string(top["imagePullPolicy"], "imagePullPolicy")
        if let policy = try r.object(top["restartPolicy"], "restartPolicy") {
            restartPolicy = RestartPolicy(
                type: try r.string(policy["type"], "restartPolicy.type"),
                onSubmissionFailureRetries: try r.int(policy["onSubmissionFailureRetries"], "restartPolicy.onSubmissionFailureRetries", strict: true),
                onFailureRetries: try r.int(policy["onFailureRetries"], "restartPolicy.onFailureRetries", strict: true),
                onSubmissionFailureRetryInterval: try r.int(policy["onSubmissionFailureRetryInterval"], "restartPolicy.onSubmissionFailureRetryInterval", strict: true).map(Int64.init),
                onFailureRetryInterval: try r.int(policy["onFailureRetryInterval"], "restartPolicy.onFailureRetryInterval", strict: true).map(Int64.init))
        }
        clusterId = try r.string(top["clusterId"], "clusterId")
        queue = try r.string(top["queue"], "queue")
        queueToken = try r.string(top["queueToken"], "queueToken")
    }
}

/// Typed access to a parsed JSON tree with errors naming the field.
private struct TreeReader {
    func wrong(_ type: String, _ path: String) -> SubmissionError {
        .badRequest("wrong type for \(type) at \(path)")
    }

    func missing(_ key: String, _ path: String) -> SubmissionError {
        .badRequest("missing field \"\(key)\"\(path.isEmpty ? "" : " at \(path)")")
    }

    func object(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> [String: ConfigurationTree]? {
        switch node {
        case nil, .null?: return nil
        case .mapping(let m)?: return m
        default: throw wrong("object", path())
        }
    }

    func string(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> String? {
        switch node {
        case nil, .null?: return nil
        case .scalar(let s)?: return s
        default: throw wrong("String", path())
        }
    }

    func required(_ node: ConfigurationTree?, _ key: String, _ path: @autoclosure () -> String) throws(SubmissionError) -> String {
        guard let value = try string(node, path() + "." + key) else { throw missing(key, path()) }
        return value
    }

    /// Like `LenientInt` (fractions truncated) unless `strict` (plain `Int` fields).
    func int(_ node: ConfigurationTree?, _ path: @autoclosure () -> String, strict: Bool = false) throws(SubmissionError) -> Int? {
        guard let text = try string(node, path()) else { return nil }
        if let value = Int(text) { return value }
        if !strict, let double = Double(text), double.isFinite, abs(double) < 1e15 { return Int(double) }
        throw wrong("Int", path())
    }

    func double(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> Double? {
        guard let text = try string(node, path()) else { return nil }
        guard let value = Double(text) else { throw wrong("Double", path()) }
        return value
    }

    func bool(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> Bool? {
        guard let text = try string(node, path()) else { return nil }
        if text.equalsIgnoringCase("true") { return true }
        if text.equalsIgnoringCase("false") { return false }
        throw wrong("Bool", path())
    }

    func strings(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> [String]? {
        try list(node, path()) { item, itemPath throws(SubmissionError) in
            guard let s = try string(item, itemPath) else { throw wrong("String", itemPath) }
            return s
        }
    }

    func stringMap(_ node: ConfigurationTree?, _ path: @autoclosure () -> String) throws(SubmissionError) -> [String: String]? {
        guard let m = try object(node, path()) else { return nil }
        var out: [String: String] = [:]
        out.reserveCapacity(m.count)
        for (key, value) in m {
            guard let s = try string(value, path() + "." + key) else { throw wrong("String", path() + "." + key) }
            out[key] = s
        }
        return out
    }

    func list<T>(
        _ node: ConfigurationTree?, _ path: @autoclosure () -> String,
        _ item: (ConfigurationTree, String) throws(SubmissionError) -> T
    ) throws(SubmissionError) -> [T]? {
        switch node {
        case nil, .null?: return nil
        case .sequence(let items)?:
            var out: [T] = []
            out.reserveCapacity(items.count)
            for (index, element) in items.enumerated() { out.append(try item(element, "\(path())[\(index)]")) }
            return out
        default: throw wrong("Array", path())
        }
    }

    func volume(_ node: ConfigurationTree, _ path: String) throws(SubmissionError) -> Volume {
        guard let v = try object(node, path) else { throw wrong("object", path) }
        var volume = Volume(name: try required(v["name"], "name", path))
        if let h = try object(v["hostPath"], path + ".hostPath") {
            volume.hostPath = Volume.HostPath(
                path: try required(h["path"], "path", path + ".hostPath"), type: try string(h["type"], path + ".hostPath.type"))
        }
        if let c = try object(v["configMap"], path + ".configMap") {
            volume.configMap = Volume.ConfigMap(name: try string(c["name"], path + ".configMap.name"))
        }
        return volume
    }

    func term(_ node: ConfigurationTree?, _ path: String) throws(SubmissionError) -> Affinity.NodeSelectorTerm? {
        guard let t = try object(node, path) else { return nil }
        return Affinity.NodeSelectorTerm(
            matchExpressions: try list(t["matchExpressions"], path + ".matchExpressions") { e, p throws(SubmissionError) in
                guard let e = try object(e, p) else { throw wrong("object", p) }
                return Affinity.NodeSelectorRequirement(
                    key: try required(e["key"], "key", p), operator: try required(e["operator"], "operator", p),
                    values: try strings(e["values"], p + ".values"))
            })
    }

    func affinity(_ node: ConfigurationTree?, _ path: String) throws(SubmissionError) -> Affinity? {
        guard let a = try object(node, path) else { return nil }
        var affinity = Affinity()
        if let n = try object(a["nodeAffinity"], path + ".nodeAffinity") {
            var nodeAffinity = Affinity.NodeAffinity()
            let requiredPath = path + ".nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution"
            if let s = try object(n["requiredDuringSchedulingIgnoredDuringExecution"], requiredPath) {
                guard let terms = try list(s["nodeSelectorTerms"], requiredPath + ".nodeSelectorTerms", { t, p throws(SubmissionError) in
                    guard let term = try term(t, p) else { throw wrong("object", p) }
                    return term
                }) else { throw missing("nodeSelectorTerms", requiredPath) }
                nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = Affinity.NodeSelector(nodeSelectorTerms: terms)
            }
            nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = try list(
                n["preferredDuringSchedulingIgnoredDuringExecution"], path + ".nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution"
            ) { t, p throws(SubmissionError) in
                guard let t = try object(t, p) else { throw wrong("object", p) }
                guard let weight = try int(t["weight"], p + ".weight", strict: true) else { throw missing("weight", p) }
                guard let preference = try term(t["preference"], p + ".preference") else { throw missing("preference", p) }
                return Affinity.PreferredSchedulingTerm(weight: weight, preference: preference)
            }
            affinity.nodeAffinity = nodeAffinity
        }
        return affinity
    }

    func pod(_ node: ConfigurationTree?, _ path: String) throws(SubmissionError) -> SparkPodSpec? {
        guard let p = try object(node, path) else { return nil }
        var pod = SparkPodSpec()
        pod.cores = try int(p["cores"], path + ".cores")
        pod.coreRequest = try string(p["coreRequest"], path + ".coreRequest")
        pod.coreLimit = try string(p["coreLimit"], path + ".coreLimit")
        pod.memory = try string(p["memory"], path + ".memory")
        pod.memoryOverhead = try string(p["memoryOverhead"], path + ".memoryOverhead")
        pod.image = try string(p["image"], path + ".image")
        pod.env = try list(p["env"], path + ".env") { e, ep throws(SubmissionError) in
            guard let e = try object(e, ep) else { throw wrong("object", ep) }
            var variable = EnvVar(name: try required(e["name"], "name", ep), value: try string(e["value"], ep + ".value"))
            if let source = try object(e["valueFrom"], ep + ".valueFrom") {
                var from = EnvVar.Source()
                if let ref = try object(source["fieldRef"], ep + ".valueFrom.fieldRef") {
                    from.fieldRef = EnvVar.FieldRef(
                        fieldPath: try required(ref["fieldPath"], "fieldPath", ep + ".valueFrom.fieldRef"),
                        apiVersion: try string(ref["apiVersion"], ep + ".valueFrom.fieldRef.apiVersion"))
                }
                variable.valueFrom = from
            }
            return variable
        }
        pod.labels = try stringMap(p["labels"], path + ".labels")
        pod.annotations = try stringMap(p["annotations"], path + ".annotations")
        pod.terminationGracePeriodSeconds = try int(p["terminationGracePeriodSeconds"], path + ".terminationGracePeriodSeconds").map(Int64.init)
        pod.serviceAccount = try string(p["serviceAccount"], path + ".serviceAccount")
        pod.volumeMounts = try list(p["volumeMounts"], path + ".volumeMounts") { m, mp throws(SubmissionError) in
            guard let m = try object(m, mp) else { throw wrong("object", mp) }
            return VolumeMount(
                name: try required(m["name"], "name", mp), mountPath: try required(m["mountPath"], "mountPath", mp),
                readOnly: try bool(m["readOnly"], mp + ".readOnly"), subPath: try string(m["subPath"], mp + ".subPath"))
        }
        if let s = try object(p["securityContext"], path + ".securityContext") {
            pod.securityContext = SecurityContext(
                privileged: try bool(s["privileged"], path + ".securityContext.privileged"),
                runAsUser: try int(s["runAsUser"], path + ".securityContext.runAsUser", strict: true).map(Int64.init),
                allowPrivilegeEscalation: try bool(s["allowPrivilegeEscalation"], path + ".securityContext.allowPrivilegeEscalation"))
        }
        pod.affinity = try affinity(p["affinity"], path + ".affinity")
        if let d = try object(p["dnsConfig"], path + ".dnsConfig") {
            pod.dnsConfig = PodDNSConfig(
                nameservers: try strings(d["nameservers"], path + ".dnsConfig.nameservers"),
                searches: try strings(d["searches"], path + ".dnsConfig.searches"),
                options: try list(d["options"], path + ".dnsConfig.options") { o, op throws(SubmissionError) in
                    guard let o = try object(o, op) else { throw wrong("object", op) }
                    return PodDNSConfig.Option(name: try required(o["name"], "name", op), value: try string(o["value"], op + ".value"))
                })
        }
        pod.javaOptions = try string(p["javaOptions"], path + ".javaOptions")
        pod.podName = try string(p["podName"], path + ".podName")
        pod.kubernetesMaster = try string(p["kubernetesMaster"], path + ".kubernetesMaster")
        pod.instances = try int(p["instances"], path + ".instances")
        pod.deleteOnTermination = try bool(p["deleteOnTermination"], path + ".deleteOnTermination")
        return pod
    }
}
