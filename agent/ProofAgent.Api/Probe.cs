namespace ProofAgent.Api;
internal static class Probe { }
