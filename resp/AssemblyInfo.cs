using System.Runtime.CompilerServices;

// Scanning uses small stack buffers on every request; zeroing them is wasted work.
[module: SkipLocalsInit]
