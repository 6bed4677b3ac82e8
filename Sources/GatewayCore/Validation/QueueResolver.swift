/// Chooses a request's queue (docs/bpg-compatibility.md, "Queue resolution"), once per request.
public enum QueueResolver {
    /// The request's queue, normalised; else a queue whose `users` contain `user` (case-insensitive;
    /// several → one at random); else `poc`.
    public static func resolve<R: RandomNumberGenerator>(
        requestedQueue: String?, user: String, configuration: GatewayConfiguration, random: inout R
    ) -> ResolvedQueue {
        var name = ResolvedQueue.defaultName
        if let requested = requestedQueue, !requested.isEmpty {
            name = ResolvedQueue.normalize(requested) ?? ResolvedQueue.defaultName
        } else if let queues = configuration.queues {
            let mapped = queues.filter { queue in
                queue.users.contains { $0.equalsIgnoringCase(user) }
            }
            if let pick = mapped.randomElement(using: &random) { name = pick.name }
        }
        let parent = name.firstIndex(of: ".").map { String(name[..<$0]) } ?? name
        return ResolvedQueue(
            name: name, parent: parent, configuration: configuration.queue(named: name),
            parentConfiguration: configuration.queue(named: parent))
    }
}
