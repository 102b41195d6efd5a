namespace CheckpointGate; public static class Marker { }
