// One Chromium per test process, shared by every check through its own browser contexts.
[assembly: Xunit.AssemblyFixture(typeof(Gate.Browser.BrowserHost))]
