import SystemCalls

/// Seconds on the monotonic clock (Python's `time.monotonic()`, which asyncio's timers use).
func monotonicNow() -> Double {
    Clock.monotonic
}
