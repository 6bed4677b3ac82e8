import JSON

/// Reads a request straight from a parsed JSON tree, without the `Codable` machinery, which was most of
/// the cost of a submission. It follows `init(from:)` field for field (lenient scalars, unknown nested
/// fields ignored, unknown top-level fields rejected, the last of duplicate keys wins); the property
/// test checks the two agree. Members are visited in order and matched with a `switch`, which is
/// cheaper than looking every known key up.
extension SubmitApplicationRequest {
    init(tree: JSONValue) throws(SubmissionError) {
        let r = JSONReader()
        self.init()
        var unknown: [String] = []
        for (key, value) in try r.members(tree, "") {
            switch key {
            case "submissionIdSuffix": submissionIdSuffix = try r.string(value, key)
            case "applicationName": applicationName = try r.string(value, key)
            case "type": type = try r.string(value, key)
            case "mode": mode = try r.string(value, key)
            case "image": image = try r.string(value, key)
            case "spotInstance": spotInstance = try r.bool(value, key)
            case "sparkVersion": sparkVersion = try r.string(value, key)
            case "mainClass": mainClass = try r.string(value, key)
            case "mainApplicationFile": mainApplicationFile = try r.string(value, key)
            case "arguments": arguments = try r.strings(value, key)
            case "sparkConf": sparkConf = try r.stringMap(value, key)
            case "volumes": volumes = try r.list(value, key) { node, path throws(SubmissionError) in try r.volume(node, path) }
            case "driver": driver = try r.pod(value, key)
            case "executor": executor = try r.pod(value, key)
            case "driverOverheadFactor": driverOverheadFactor = try r.double(value, key)
            case "executorOverheadFactor": executorOverheadFactor = try r.double(value, key)
            case "overheadFactor": overheadFactor = try r.double(value, key)
            case "deps": deps = try r.dependencies(value, key)
            case "pythonVersion": pythonVersion = try r.string(value, key)
            case "imagePullPolicy": imagePullPolicy = try r.string(value, key)
            case "restartPolicy": restartPolicy = try r.restartPolicy(value, key)
            case "clusterId": clusterId = try r.string(value, key)
            case "queue": queue = try r.string(value, key)
            case "queueToken": queueToken = try r.string(value, key)
            default: unknown.append(key)
            }
        }
        if !unknown.isEmpty {
            unknown.sort()
            throw SubmissionError.badRequest(
                "Unrecognized field\(unknown.count == 1 ? "" : "s") " + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " (known fields: " + CodingKeys.allCases.map(\.stringValue).joined(separator: ", ") + ")")
        }
    }
}

/// Typed access to a parsed JSON tree with errors naming the field path.
struct JSONReader {
    func wrong(_ type: String, _ path: String) -> SubmissionError { .badRequest("wrong type for \(type) at \(path)") }

    func missing(_ key: String, _ path: String) -> SubmissionError {
        .badRequest("missing field \"\(key)\"\(path.isEmpty ? "" : " at \(path)")")
    }

    /// The members of an object (none for null).
    func members(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> [JSONObject.Element] {
        switch node {
        case .null: return []
        case .object(let object): return object.members
        default: throw wrong("object", path())
        }
    }

    func isNull(_ node: JSONValue) -> Bool { if case .null = node { true } else { false } }

    /// A string, number or boolean as its text: scalars are read leniently, as BPG's Jackson does.
    func string(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> String? {
        switch node {
        case .null: return nil
        case .string(let s): return s
        case .number(let n): return n.text
        case .bool(let b): return b ? "true" : "false"
        default: throw wrong("String", path())
        }
    }

    func required(_ value: String?, _ key: String, _ path: @autoclosure () -> String) throws(SubmissionError) -> String {
        guard let value else { throw missing(key, path()) }
        return value
    }

    /// Like `LenientInt` (fractions truncated) unless `strict` (plain `Int` fields).
    func int(_ node: JSONValue, _ path: @autoclosure () -> String, strict: Bool = false) throws(SubmissionError) -> Int? {
        guard let text = try string(node, path()) else { return nil }
        if let value = Int(text) { return value }
        if !strict, let double = Double(text), double.isFinite, abs(double) < 1e15 { return Int(double) }
        throw wrong("Int", path())
    }

    func double(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> Double? {
        guard let text = try string(node, path()) else { return nil }
        guard let value = Double(text) else { throw wrong("Double", path()) }
        return value
    }

    func bool(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> Bool? {
        guard let text = try string(node, path()) else { return nil }
        if text.equalsIgnoringCase("true") { return true }
        if text.equalsIgnoringCase("false") { return false }
        throw wrong("Bool", path())
    }

    func strings(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> [String]? {
        try list(node, path()) { item, itemPath throws(SubmissionError) in
            guard let s = try string(item, itemPath) else { throw wrong("String", itemPath) }
            return s
        }
    }

    func stringMap(_ node: JSONValue, _ path: @autoclosure () -> String) throws(SubmissionError) -> [String: String]? {
        if isNull(node) { return nil }
        let members = try members(node, path())
        var out: [String: String] = [:]
        out.reserveCapacity(members.count)
        for (key, value) in members {
            guard let s = try string(value, path() + "." + key) else { throw wrong("String", path() + "." + key) }
            out[key] = s
        }
        return out
    }

    func list<T>(
        _ node: JSONValue, _ path: @autoclosure () -> String, _ item: (JSONValue, String) throws(SubmissionError) -> T
    ) throws(SubmissionError) -> [T]? {
        switch node {
        case .null: return nil
        case .array(let items):
            var out: [T] = []
            out.reserveCapacity(items.count)
            for (index, element) in items.enumerated() { out.append(try item(element, "\(path())[\(index)]")) }
            return out
        default: throw wrong("Array", path())
        }
    }

    func dependencies(_ node: JSONValue, _ path: String) throws(SubmissionError) -> Dependencies? {
        if isNull(node) { return nil }
        var d = Dependencies()
        for (key, value) in try members(node, path) {
            switch key {
            case "jars": d.jars = try strings(value, path + ".jars")
            case "files": d.files = try strings(value, path + ".files")
            case "pyFiles": d.pyFiles = try strings(value, path + ".pyFiles")
            case "packages": d.packages = try strings(value, path + ".packages")
            case "excludePackages": d.excludePackages = try strings(value, path + ".excludePackages")
            case "repositories": d.repositories = try strings(value, path + ".repositories")
            case "archives": d.archives = try strings(value, path + ".archives")
            default: break
            }
        }
        return d
    }

    func restartPolicy(_ node: JSONValue, _ path: String) throws(SubmissionError) -> RestartPolicy? {
        if isNull(node) { return nil }
        var p = RestartPolicy()
        for (key, value) in try members(node, path) {
            switch key {
            case "type": p.type = try string(value, path + ".type")
            case "onSubmissionFailureRetries": p.onSubmissionFailureRetries = try int(value, path + "." + key, strict: true)
            case "onFailureRetries": p.onFailureRetries = try int(value, path + "." + key, strict: true)
            case "onSubmissionFailureRetryInterval":
                p.onSubmissionFailureRetryInterval = try int(value, path + "." + key, strict: true).map(Int64.init)
            case "onFailureRetryInterval": p.onFailureRetryInterval = try int(value, path + "." + key, strict: true).map(Int64.init)
            default: break
            }
        }
        return p
    }

    func volume(_ node: JSONValue, _ path: String) throws(SubmissionError) -> Volume {
        if isNull(node) { throw wrong("object", path) }
        var name: String?
        var hostPath: Volume.HostPath?
        var configMap: Volume.ConfigMap?
        for (key, value) in try members(node, path) {
            switch key {
            case "name": name = try string(value, path + ".name")
            case "hostPath":
                if isNull(value) { hostPath = nil; continue }
                var p: String?
                var t: String?
                for (k, v) in try members(value, path + ".hostPath") {
                    if k == "path" { p = try string(v, path + ".hostPath.path") }
                    if k == "type" { t = try string(v, path + ".hostPath.type") }
                }
                hostPath = Volume.HostPath(path: try required(p, "path", path + ".hostPath"), type: t)
            case "configMap":
                if isNull(value) { configMap = nil; continue }
                var n: String?
                for (k, v) in try members(value, path + ".configMap") where k == "name" { n = try string(v, path + ".configMap.name") }
                configMap = Volume.ConfigMap(name: n)
            default: break
            }
        }
        return Volume(name: try required(name, "name", path), hostPath: hostPath, configMap: configMap)
    }

    func term(_ node: JSONValue, _ path: String) throws(SubmissionError) -> Affinity.NodeSelectorTerm {
        var expressions: [Affinity.NodeSelectorRequirement]?
        for (key, value) in try members(node, path) where key == "matchExpressions" {
            expressions = try list(value, path + ".matchExpressions") { e, p throws(SubmissionError) in
                if isNull(e) { throw wrong("object", p) }
                var k: String?
                var op: String?
                var values: [String]?
                for (name, v) in try members(e, p) {
                    switch name {
                    case "key": k = try string(v, p + ".key")
                    case "operator": op = try string(v, p + ".operator")
                    case "values": values = try strings(v, p + ".values")
                    default: break
                    }
                }
                return Affinity.NodeSelectorRequirement(
                    key: try required(k, "key", p), operator: try required(op, "operator", p), values: values)
            }
        }
        return Affinity.NodeSelectorTerm(matchExpressions: expressions)
    }

    func affinity(_ node: JSONValue, _ path: String) throws(SubmissionError) -> Affinity? {
        if isNull(node) { return nil }
        var affinity = Affinity()
        for (key, value) in try members(node, path) where key == "nodeAffinity" {
            if isNull(value) { affinity.nodeAffinity = nil; continue }
            var nodeAffinity = Affinity.NodeAffinity()
            let base = path + ".nodeAffinity"
            for (k, v) in try members(value, base) {
                switch k {
                case "requiredDuringSchedulingIgnoredDuringExecution":
                    if isNull(v) { nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = nil; continue }
                    let requiredPath = base + "." + k
                    var terms: [Affinity.NodeSelectorTerm]?
                    for (name, t) in try members(v, requiredPath) where name == "nodeSelectorTerms" {
                        terms = try list(t, requiredPath + ".nodeSelectorTerms") { item, p throws(SubmissionError) in
                            if isNull(item) { throw wrong("object", p) }
                            return try term(item, p)
                        }
                    }
                    guard let terms else { throw missing("nodeSelectorTerms", requiredPath) }
                    nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = Affinity.NodeSelector(nodeSelectorTerms: terms)
                case "preferredDuringSchedulingIgnoredDuringExecution":
                    nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution = try list(v, base + "." + k) { t, p throws(SubmissionError) in
                        if isNull(t) { throw wrong("object", p) }
                        var weight: Int?
                        var preference: Affinity.NodeSelectorTerm?
                        for (name, item) in try members(t, p) {
                            if name == "weight" { weight = try int(item, p + ".weight", strict: true) }
                            if name == "preference" { preference = isNull(item) ? nil : try term(item, p + ".preference") }
                        }
                        guard let weight else { throw missing("weight", p) }
                        guard let preference else { throw missing("preference", p) }
                        return Affinity.PreferredSchedulingTerm(weight: weight, preference: preference)
                    }
                default: break
                }
            }
            affinity.nodeAffinity = nodeAffinity
        }
        return affinity
    }

    func pod(_ node: JSONValue, _ path: String) throws(SubmissionError) -> SparkPodSpec? {
        if isNull(node) { return nil }
        var pod = SparkPodSpec()
        for (key, value) in try members(node, path) {
            switch key {
            case "cores": pod.cores = try int(value, path + ".cores")
            case "coreRequest": pod.coreRequest = try string(value, path + ".coreRequest")
            case "coreLimit": pod.coreLimit = try string(value, path + ".coreLimit")
            case "memory": pod.memory = try string(value, path + ".memory")
            case "memoryOverhead": pod.memoryOverhead = try string(value, path + ".memoryOverhead")
            case "image": pod.image = try string(value, path + ".image")
            case "env": pod.env = try list(value, path + ".env") { e, ep throws(SubmissionError) in try envVar(e, ep) }
            case "labels": pod.labels = try stringMap(value, path + ".labels")
            case "annotations": pod.annotations = try stringMap(value, path + ".annotations")
            case "terminationGracePeriodSeconds": pod.terminationGracePeriodSeconds = try int(value, path + "." + key).map(Int64.init)
            case "serviceAccount": pod.serviceAccount = try string(value, path + ".serviceAccount")
            case "volumeMounts":
                pod.volumeMounts = try list(value, path + ".volumeMounts") { m, mp throws(SubmissionError) in
                    if isNull(m) { throw wrong("object", mp) }
                    var name: String?
                    var mountPath: String?
                    var mount = VolumeMount(name: "", mountPath: "")
                    for (k, v) in try members(m, mp) {
                        switch k {
                        case "name": name = try string(v, mp + ".name")
                        case "mountPath": mountPath = try string(v, mp + ".mountPath")
                        case "readOnly": mount.readOnly = try bool(v, mp + ".readOnly")
                        case "subPath": mount.subPath = try string(v, mp + ".subPath")
                        default: break
                        }
                    }
                    mount.name = try required(name, "name", mp)
                    mount.mountPath = try required(mountPath, "mountPath", mp)
                    return mount
                }
            case "securityContext":
                if isNull(value) { pod.securityContext = nil; continue }
                var context = SecurityContext()
                for (k, v) in try members(value, path + ".securityContext") {
                    switch k {
                    case "privileged": context.privileged = try bool(v, path + ".securityContext.privileged")
                    case "runAsUser": context.runAsUser = try int(v, path + ".securityContext.runAsUser", strict: true).map(Int64.init)
                    case "allowPrivilegeEscalation": context.allowPrivilegeEscalation = try bool(v, path + ".securityContext." + k)
                    default: break
                    }
                }
                pod.securityContext = context
            case "affinity": pod.affinity = try affinity(value, path + ".affinity")
            case "dnsConfig":
                if isNull(value) { pod.dnsConfig = nil; continue }
                var dns = PodDNSConfig()
                for (k, v) in try members(value, path + ".dnsConfig") {
                    switch k {
                    case "nameservers": dns.nameservers = try strings(v, path + ".dnsConfig.nameservers")
                    case "searches": dns.searches = try strings(v, path + ".dnsConfig.searches")
                    case "options":
                        dns.options = try list(v, path + ".dnsConfig.options") { o, op throws(SubmissionError) in
                            if isNull(o) { throw wrong("object", op) }
                            var name: String?
                            var optionValue: String?
                            for (n, x) in try members(o, op) {
                                if n == "name" { name = try string(x, op + ".name") }
                                if n == "value" { optionValue = try string(x, op + ".value") }
                            }
                            return PodDNSConfig.Option(name: try required(name, "name", op), value: optionValue)
                        }
                    default: break
                    }
                }
                pod.dnsConfig = dns
            case "javaOptions": pod.javaOptions = try string(value, path + ".javaOptions")
            case "podName": pod.podName = try string(value, path + ".podName")
            case "kubernetesMaster": pod.kubernetesMaster = try string(value, path + ".kubernetesMaster")
            case "instances": pod.instances = try int(value, path + ".instances")
            case "deleteOnTermination": pod.deleteOnTermination = try bool(value, path + ".deleteOnTermination")
            default: break
            }
        }
        return pod
    }

    func envVar(_ node: JSONValue, _ path: String) throws(SubmissionError) -> EnvVar {
        if isNull(node) { throw wrong("object", path) }
        var name: String?
        var value: String?
        var source: EnvVar.Source?
        for (key, item) in try members(node, path) {
            switch key {
            case "name": name = try string(item, path + ".name")
            case "value": value = try string(item, path + ".value")
            case "valueFrom":
                if isNull(item) { source = nil; continue }
                var from = EnvVar.Source()
                for (k, v) in try members(item, path + ".valueFrom") where k == "fieldRef" {
                    if isNull(v) { from.fieldRef = nil; continue }
                    var fieldPath: String?
                    var apiVersion: String?
                    for (n, x) in try members(v, path + ".valueFrom.fieldRef") {
                        if n == "fieldPath" { fieldPath = try string(x, path + ".valueFrom.fieldRef.fieldPath") }
                        if n == "apiVersion" { apiVersion = try string(x, path + ".valueFrom.fieldRef.apiVersion") }
                    }
                    from.fieldRef = EnvVar.FieldRef(
                        fieldPath: try required(fieldPath, "fieldPath", path + ".valueFrom.fieldRef"), apiVersion: apiVersion)
                }
                source = from
            default: break
            }
        }
        return EnvVar(name: try required(name, "name", path), value: value, valueFrom: source)
    }
}
