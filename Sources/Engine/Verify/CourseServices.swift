/// The course's services (servers declared in `nbrun.json`, started by nbrun for a run)
/// started for the kernels of `verify` as for a run of the ports.
///
/// HOOK (for the lead at merge): the `io` helper adds course services for 07-io. Wire them
/// here: start what `plans` need, return a handle that stops them. Verify calls `start`
/// once before any kernel or port runs and `stop` once after all have ended; nothing else
/// in verify knows about services.
package struct CourseServices: Sendable {
    package static func start(for plans: [RunPlan]) throws -> CourseServices {
        CourseServices()
    }

    package func stop() {}
}
