public enum Charts {}
