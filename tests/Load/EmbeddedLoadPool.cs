// On the embedded default the reference platform seeds this many synthetic load accounts
// (load-0001@load.test ..., students and teachers) for this suite's virtual users: the staging
// profile's role mix needs 167 (333 iterations/s x 3 signed-in requests / 6 per account per second).
// Outside the embedded default the gate creates no accounts: the operator supplies GATE_LOAD_ACCOUNTS.
[assembly: Gate.Fixtures.Embedded.EmbeddedLoadAccounts(240)]
