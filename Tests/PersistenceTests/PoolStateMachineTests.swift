import Testing

@testable import Persistence

@Suite struct PoolStateMachineTests {
    @Test func freeSlotsAreHandedOutThenCallersWait() {
        var machine = PoolStateMachine<String>(size: 2)
        guard case .use(let first) = machine.checkout(id: 1, waiter: "a") else { Issue.record("no slot"); return }
        guard case .use(let second) = machine.checkout(id: 2, waiter: "b") else { Issue.record("no slot"); return }
        #expect(first != second)
        guard case .wait = machine.checkout(id: 3, waiter: "c") else { Issue.record("did not wait"); return }
        #expect(machine.waitingCount == 1)
        #expect(machine.idleCount == 0)
    }

    @Test func idleFastPathTakesOnlyIdleSlots() {
        var machine = PoolStateMachine<String>(size: 1)
        #expect(machine.checkoutIfIdle() == 0)
        #expect(machine.checkoutIfIdle() == nil)
        guard case .wait = machine.checkout(id: 1, waiter: "a") else { Issue.record("did not wait"); return }
        guard case .resume(let waiter, _) = machine.checkin(slot: 0) else { Issue.record("waiter skipped"); return }
        #expect(waiter == "a")
        _ = machine.checkin(slot: 0)
        _ = machine.close()
        #expect(machine.checkoutIfIdle() == nil)
    }

    @Test func checkinResumesWaitersInArrivalOrder() {
        var machine = PoolStateMachine<String>(size: 1)
        _ = machine.checkout(id: 1, waiter: "a")
        _ = machine.checkout(id: 2, waiter: "b")
        _ = machine.checkout(id: 3, waiter: "c")
        guard case .resume(let next, let slot) = machine.checkin(slot: 0) else { Issue.record("nobody resumed"); return }
        #expect(next == "b")
        #expect(slot == 0)
        guard case .resume(let last, _) = machine.checkin(slot: 0) else { Issue.record("nobody resumed"); return }
        #expect(last == "c")
        guard case .idle = machine.checkin(slot: 0) else { Issue.record("slot not idle"); return }
        #expect(machine.idleCount == 1)
    }

    @Test func mostRecentlyReturnedSlotIsReusedFirst() {
        var machine = PoolStateMachine<String>(size: 3)
        _ = machine.checkout(id: 1, waiter: "a")
        _ = machine.checkout(id: 2, waiter: "b")
        _ = machine.checkin(slot: 1)
        guard case .use(let slot) = machine.checkout(id: 3, waiter: "c") else { Issue.record("no slot"); return }
        #expect(slot == 1)
    }

    @Test func cancelledWaiterIsRemovedAndSkipped() {
        var machine = PoolStateMachine<String>(size: 1)
        _ = machine.checkout(id: 1, waiter: "a")
        _ = machine.checkout(id: 2, waiter: "b")
        _ = machine.checkout(id: 3, waiter: "c")
        #expect(machine.cancel(id: 2) == "b")
        #expect(machine.cancel(id: 2) == nil)
        guard case .resume(let next, _) = machine.checkin(slot: 0) else { Issue.record("nobody resumed"); return }
        #expect(next == "c")
    }

    @Test func closingFailsWaitersAndLaterCheckouts() {
        var machine = PoolStateMachine<String>(size: 1)
        _ = machine.checkout(id: 1, waiter: "a")
        _ = machine.checkout(id: 2, waiter: "b")
        _ = machine.checkout(id: 3, waiter: "c")
        #expect(machine.close() == ["b", "c"])
        guard case .fail = machine.checkout(id: 4, waiter: "d") else { Issue.record("checkout after close"); return }
        guard case .idle = machine.checkin(slot: 0) else { Issue.record("resumed after close"); return }
    }

    @Test func manyWaitersStayInOrderAcrossCompaction() {
        var machine = PoolStateMachine<Int>(size: 1)
        _ = machine.checkout(id: 0, waiter: 0)
        for id in 1...500 { _ = machine.checkout(id: id, waiter: id) }
        var served: [Int] = []
        for _ in 1...500 {
            if case .resume(let waiter, _) = machine.checkin(slot: 0) { served.append(waiter) }
        }
        #expect(served == Array(1...500))
        #expect(machine.waitingCount == 0)
    }
}
