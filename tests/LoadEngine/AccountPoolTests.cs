using FluentAssertions;
using Gate.Load;

namespace LoadEngine.Tests;

/// <summary>
/// Sizing an account pool under a per-account throttle (THE_BOT: 10 requests/s per account,
/// counted in fixed 1 s windows) and round robin keeping every account under it.
/// </summary>
public sealed class AccountPoolTests
{
    private const double Limit = 10, Margin = 0.6;

    [Theory]
    [InlineData(30, 1, 5)]            // ci api-read: 30 it/s over 5 accounts = 6/s each
    [InlineData(10, 3, 5)]            // ci role mix: 10 it/s x 3 requests
    [InlineData(1000 / 3.0, 1, 56)]   // staging api-read, closed 1000 users / 3 s think
    [InlineData(1000 / 3.0, 3, 167)]  // staging role mix
    [InlineData(60, 3, 30)]           // the rehearsal: staging:users=60/120/180,think=3s
    [InlineData(0.5, 1, 1)]
    [InlineData(0, 3, 0)]
    [InlineData(333, 0, 0)]           // anonymous iterations need no accounts
    public void Accounts_needed_are_peak_rate_times_requests_over_the_planned_share_of_the_limit(double peak, int requests, int expected)
    {
        AccountPool.Needed(peak, requests, Limit, Margin).Should().Be(expected);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    public void A_margin_outside_0_to_1_is_refused(double margin)
    {
        var act = () => AccountPool.Needed(10, 1, Limit, margin);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*margin*");
    }

    [Fact]
    public void An_empty_pool_is_refused()
    {
        var act = () => new AccountPool<string>([]);

        act.Should().Throw<ArgumentException>().WithMessage("*at least one account*");
    }

    [Fact]
    public void Round_robin_hands_out_every_account_in_turn_across_threads()
    {
        var pool = new AccountPool<int>(Enumerable.Range(0, 7));
        var counts = new int[7];

        Parallel.For(0, 7 * 1000, _ => Interlocked.Increment(ref counts[pool.Next()]));

        counts.Should().AllBeEquivalentTo(1000, "round robin gives each of 7 accounts exactly 1 in 7 of 7000 iterations");
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(10, 3)]
    [InlineData(1000 / 3.0, 1)]
    [InlineData(1000 / 3.0, 3)]
    [InlineData(60, 3)]
    public void A_pool_of_the_needed_size_keeps_every_account_under_the_limit_in_every_1s_window(double rate, int requests)
    {
        var needed = AccountPool.Needed(rate, requests, Limit, Margin);

        // The open model's schedule, and the same after a 300 ms scheduler stall released at once.
        MaxPerAccountWindow(rate, requests, needed, stall: 0).Should().BeLessThanOrEqualTo((int)Limit);
        MaxPerAccountWindow(rate, requests, needed, stall: 0.3).Should().BeLessThanOrEqualTo((int)Limit);
    }

    [Fact]
    public void Six_role_accounts_cannot_carry_the_staging_role_mix()
    {
        // Why the pool exists: 333 it/s x 3 requests over six accounts is ~167 requests/s each.
        MaxPerAccountWindow(1000 / 3.0, 3, accounts: 6, stall: 0).Should().BeGreaterThan(150);
    }

    /// <summary>
    /// Arrival k is due at k / rate (10 s); iteration k takes the pool's next account and sends its
    /// requests 20 ms apart. A stall holds the arrivals due in (4.0, 4.0 + stall) s back and sends
    /// them at its end. Returns the most requests any account sends in one fixed 1 s window, over
    /// window phases 0, 0.1, ... 0.9 s (the target's windows need not align with the run).
    /// </summary>
    private static int MaxPerAccountWindow(double rate, int requests, int accounts, double stall)
    {
        var pool = new AccountPool<int>(Enumerable.Range(0, accounts));
        var sends = new List<(int Account, double At)>();
        for (var k = 0; k < rate * 10; k++)
        {
            var due = k / rate;
            var start = due > 4.0 && due < 4.0 + stall ? 4.0 + stall : due;
            var account = pool.Next();
            for (var r = 0; r < requests; r++) sends.Add((account, start + r * 0.020));
        }
        return Enumerable.Range(0, 10).Max(phase => sends
            .GroupBy(s => (s.Account, Window: Math.Floor(s.At + phase / 10.0)))
            .Max(g => g.Count()));
    }
}
