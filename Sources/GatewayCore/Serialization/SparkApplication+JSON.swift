import Foundation
import JSON

extension SparkApplication {
    /// The object as JSON, byte-for-byte equivalent in content to `JSONEncoder().encode(self)` (nil fields
    /// omitted) but several times faster; use it on the submission path.
    public func jsonData() -> Data {
        var w = JSONWriter()
        w.beginObject()
        w.field("apiVersion", apiVersion)
        w.field("kind", kind)
        w.key("metadata")
        Self.write(metadata, to: &w)
        w.key("spec")
        Self.write(spec, to: &w)
        w.field("status", status) { w, status in Self.write(status, to: &w) }
        w.endObject()
        return Data(w.bytes)
    }

    static func write(_ m: ObjectMeta, to w: inout JSONWriter) {
        w.beginObject()
        w.field("name", m.name)
        w.field("namespace", m.namespace)
        w.field("labels", m.labels)
        w.field("annotations", m.annotations)
        w.field("creationTimestamp", m.creationTimestamp)
        w.field("resourceVersion", m.resourceVersion)
        w.field("uid", m.uid)
        w.endObject()
    }

    static func write(_ s: SparkApplicationSpec, to w: inout JSONWriter) {
        w.beginObject()
        w.field("type", s.type)
        w.field("sparkVersion", s.sparkVersion)
        w.field("mode", s.mode)
        w.field("proxyUser", s.proxyUser)
        w.field("image", s.image)
        w.field("imagePullPolicy", s.imagePullPolicy)
        w.field("mainClass", s.mainClass)
        w.field("mainApplicationFile", s.mainApplicationFile)
        w.field("arguments", s.arguments)
        w.field("sparkConf", s.sparkConf)
        w.field("volumes", s.volumes, each: { w, v in write(v, to: &w) })
        w.field("deps", s.deps) { w, d in
            w.beginObject()
            w.field("jars", d.jars)
            w.field("files", d.files)
            w.field("pyFiles", d.pyFiles)
            w.field("packages", d.packages)
            w.field("excludePackages", d.excludePackages)
            w.field("repositories", d.repositories)
            w.field("archives", d.archives)
            w.endObject()
        }
        w.field("restartPolicy", s.restartPolicy) { w, r in
            w.beginObject()
            w.field("type", r.type)
            w.field("onSubmissionFailureRetries", r.onSubmissionFailureRetries)
            w.field("onFailureRetries", r.onFailureRetries)
            w.field("onSubmissionFailureRetryInterval", r.onSubmissionFailureRetryInterval)
            w.field("onFailureRetryInterval", r.onFailureRetryInterval)
            w.endObject()
        }
        w.field("pythonVersion", s.pythonVersion)
        w.field("timeToLiveSeconds", s.timeToLiveSeconds)
        w.field("batchScheduler", s.batchScheduler)
        w.field("batchSchedulerOptions", s.batchSchedulerOptions) { w, b in
            w.beginObject()
            w.field("queue", b.queue)
            w.field("priorityClassName", b.priorityClassName)
            w.endObject()
        }
        w.field("sparkUIOptions", s.sparkUIOptions) { w, u in
            w.beginObject()
            w.field("servicePort", u.servicePort)
            w.field("ingressAnnotations", u.ingressAnnotations)
            w.field("ingressTLS", u.ingressTLS, each: { w, t in
                w.beginObject()
                w.field("hosts", t.hosts)
                w.field("secretName", t.secretName)
                w.endObject()
            })
            w.endObject()
        }
        w.key("driver")
        write(s.driver, to: &w)
        w.key("executor")
        write(s.executor, to: &w)
        w.endObject()
    }

    static func write(_ v: Volume, to w: inout JSONWriter) {
        w.beginObject()
        w.field("name", v.name)
        w.field("hostPath", v.hostPath) { w, h in
            w.beginObject()
            w.field("path", h.path)
            w.field("type", h.type)
            w.endObject()
        }
        w.field("configMap", v.configMap) { w, c in
            w.beginObject()
            w.field("name", c.name)
            w.endObject()
        }
        w.endObject()
    }

    static func write(_ term: Affinity.NodeSelectorTerm, to w: inout JSONWriter) {
        w.beginObject()
        w.field("matchExpressions", term.matchExpressions, each: { w, e in
            w.beginObject()
            w.field("key", e.key)
            w.field("operator", e.operator)
            w.field("values", e.values)
            w.endObject()
        })
        w.endObject()
    }

    static func write(_ p: SparkPodSpec, to w: inout JSONWriter) {
        w.beginObject()
        w.field("cores", p.cores)
        w.field("coreRequest", p.coreRequest)
        w.field("coreLimit", p.coreLimit)
        w.field("memory", p.memory)
        w.field("memoryOverhead", p.memoryOverhead)
        w.field("image", p.image)
        w.field("env", p.env, each: { w, e in
            w.beginObject()
            w.field("name", e.name)
            w.field("value", e.value)
            w.field("valueFrom", e.valueFrom) { w, source in
                w.beginObject()
                w.field("fieldRef", source.fieldRef) { w, ref in
                    w.beginObject()
                    w.field("fieldPath", ref.fieldPath)
                    w.field("apiVersion", ref.apiVersion)
                    w.endObject()
                }
                w.endObject()
            }
            w.endObject()
        })
        w.field("labels", p.labels)
        w.field("annotations", p.annotations)
        w.field("terminationGracePeriodSeconds", p.terminationGracePeriodSeconds)
        w.field("serviceAccount", p.serviceAccount)
        w.field("volumeMounts", p.volumeMounts, each: { w, m in
            w.beginObject()
            w.field("name", m.name)
            w.field("mountPath", m.mountPath)
            w.field("readOnly", m.readOnly)
            w.field("subPath", m.subPath)
            w.endObject()
        })
        w.field("securityContext", p.securityContext) { w, c in
            w.beginObject()
            w.field("privileged", c.privileged)
            w.field("runAsUser", c.runAsUser)
            w.field("allowPrivilegeEscalation", c.allowPrivilegeEscalation)
            w.endObject()
        }
        w.field("affinity", p.affinity) { w, a in
            w.beginObject()
            w.field("nodeAffinity", a.nodeAffinity) { w, n in
                w.beginObject()
                w.field("requiredDuringSchedulingIgnoredDuringExecution", n.requiredDuringSchedulingIgnoredDuringExecution) { w, s in
                    w.beginObject()
                    w.field("nodeSelectorTerms", s.nodeSelectorTerms, each: { w, t in write(t, to: &w) })
                    w.endObject()
                }
                w.field("preferredDuringSchedulingIgnoredDuringExecution", n.preferredDuringSchedulingIgnoredDuringExecution, each: { w, t in
                    w.beginObject()
                    w.field("weight", t.weight)
                    w.key("preference")
                    write(t.preference, to: &w)
                    w.endObject()
                })
                w.endObject()
            }
            w.endObject()
        }
        w.field("dnsConfig", p.dnsConfig) { w, d in
            w.beginObject()
            w.field("nameservers", d.nameservers)
            w.field("searches", d.searches)
            w.field("options", d.options, each: { w, o in
                w.beginObject()
                w.field("name", o.name)
                w.field("value", o.value)
                w.endObject()
            })
            w.endObject()
        }
        w.field("javaOptions", p.javaOptions)
        w.field("podName", p.podName)
        w.field("kubernetesMaster", p.kubernetesMaster)
        w.field("instances", p.instances)
        w.field("deleteOnTermination", p.deleteOnTermination)
        w.endObject()
    }

    static func write(_ s: SparkApplicationStatus, to w: inout JSONWriter) {
        w.beginObject()
        w.field("sparkApplicationId", s.sparkApplicationId)
        w.field("submissionID", s.submissionID)
        w.field("lastSubmissionAttemptTime", s.lastSubmissionAttemptTime)
        w.field("terminationTime", s.terminationTime)
        w.field("driverInfo", s.driverInfo) { w, d in
            w.beginObject()
            w.field("podName", d.podName)
            w.field("webUIServiceName", d.webUIServiceName)
            w.field("webUIAddress", d.webUIAddress)
            w.field("webUIPort", d.webUIPort)
            w.field("webUIIngressName", d.webUIIngressName)
            w.field("webUIIngressAddress", d.webUIIngressAddress)
            w.endObject()
        }
        w.field("applicationState", s.applicationState) { w, a in
            w.beginObject()
            w.field("state", a.state.rawValue)
            w.field("errorMessage", a.errorMessage)
            w.endObject()
        }
        w.field("executorState", s.executorState)
        w.field("executionAttempts", s.executionAttempts)
        w.field("submissionAttempts", s.submissionAttempts)
        w.endObject()
    }
}
