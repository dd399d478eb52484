// Every gate suite shares one environment per test process: settings, the embedded default, clients.
[assembly: Xunit.AssemblyFixture(typeof(Gate.Fixtures.GateEnvironment))]
