using FluentAssertions;
using Gate.Fixtures;
using Xunit;

namespace Gate.SelfTests;

/// <summary>The one wait every embedded server's start-up and shut-down uses.</summary>
public sealed class PollTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);
    private static readonly Func<Exception, bool> IoIsNotYet = e => e is IOException;

    [Fact]
    public async Task Asks_again_through_accepted_errors_until_the_answer_is_yes()
    {
        var asked = 0;
        var ready = await Poll.UntilAsync(_ => ++asked < 3 ? throw new IOException("refused") : Task.FromResult(true),
            TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken, IoIsNotYet, interval: TimeSpan.FromMilliseconds(1));

        ready.Should().BeTrue();
        asked.Should().Be(3);
    }

    [Fact]
    public async Task Says_no_once_the_time_is_up()
    {
        var asked = 0;
        var ready = await Poll.UntilAsync(_ => { asked++; return Task.FromResult(false); }, Short, TestContext.Current.CancellationToken);

        ready.Should().BeFalse();
        asked.Should().BeGreaterThan(1, "it keeps asking until the deadline");
    }

    [Fact]
    public async Task Says_no_at_once_when_the_server_gave_up()
    {
        var asked = 0;
        var ready = await Poll.UntilAsync(_ => { asked++; return Task.FromResult(false); }, TimeSpan.FromSeconds(10),
            TestContext.Current.CancellationToken, gaveUp: () => asked >= 2);

        ready.Should().BeFalse();
        asked.Should().Be(2);
    }

    [Fact]
    public async Task An_error_it_was_not_told_to_expect_is_not_swallowed()
    {
        var wait = () => Poll.UntilAsync(_ => throw new InvalidOperationException("answered, but not with an SSH banner"),
            TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken, IoIsNotYet);

        await wait.Should().ThrowAsync<InvalidOperationException>().WithMessage("*SSH banner*");
    }

    [Fact]
    public async Task Cancellation_ends_the_wait()
    {
        using var cts = new CancellationTokenSource(Short);
        var wait = () => Poll.UntilAsync(_ => Task.FromResult(false), TimeSpan.FromMinutes(1), cts.Token);

        await wait.Should().ThrowAsync<OperationCanceledException>();
    }
}
