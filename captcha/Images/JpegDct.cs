using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RedisRing.Captcha.Images;

/// <summary>
/// The AAN float forward DCT of one 8x8 block (as IJG's jfdctflt.c), in place, natural order in
/// and out; the output is scaled by 8 and the AAN factors, which the quantisation divisors undo.
/// With AVX the eight lines of a pass go through the butterflies at once, one 8-float vector a
/// line, and the block is transposed between the passes: about a sixth of the scalar time.
/// </summary>
internal static class JpegDct
{
    private const float C4 = 0.707106781f;
    private const float C6MinusC2 = 0.382683433f;
    private const float C2MinusC6 = 0.541196100f;
    private const float C2PlusC6 = 1.306562965f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Forward(Span<float> block)
    {
        ref var first = ref MemoryMarshal.GetReference(block[..64]);
        if (Avx.IsSupported)
        {
            ref var rows = ref Unsafe.As<float, Vector256<float>>(ref first);
            // Transpose, DCT across the vectors (along x), transpose back, DCT across them (along y).
            Transpose(ref rows);
            Butterflies(ref rows);
            Transpose(ref rows);
            Butterflies(ref rows);
            return;
        }

        for (var pass = 0; pass < 2; pass++)
        {
            var step = pass == 0 ? 1 : 8;
            for (var line = 0; line < 8; line++)
            {
                ScalarLine(ref Unsafe.Add(ref first, pass == 0 ? line * 8 : line), step);
            }
        }
    }

    /// <summary>One 1-D DCT for each of eight lanes: line k of the transform is vector k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Butterflies(ref Vector256<float> d)
    {
        ref var d1 = ref Unsafe.Add(ref d, 1);
        ref var d2 = ref Unsafe.Add(ref d, 2);
        ref var d3 = ref Unsafe.Add(ref d, 3);
        ref var d4 = ref Unsafe.Add(ref d, 4);
        ref var d5 = ref Unsafe.Add(ref d, 5);
        ref var d6 = ref Unsafe.Add(ref d, 6);
        ref var d7 = ref Unsafe.Add(ref d, 7);
        var tmp0 = d + d7;
        var tmp7 = d - d7;
        var tmp1 = d1 + d6;
        var tmp6 = d1 - d6;
        var tmp2 = d2 + d5;
        var tmp5 = d2 - d5;
        var tmp3 = d3 + d4;
        var tmp4 = d3 - d4;

        var tmp10 = tmp0 + tmp3;
        var tmp13 = tmp0 - tmp3;
        var tmp11 = tmp1 + tmp2;
        var tmp12 = tmp1 - tmp2;
        d = tmp10 + tmp11;
        d4 = tmp10 - tmp11;
        var z1 = (tmp12 + tmp13) * C4;
        d2 = tmp13 + z1;
        d6 = tmp13 - z1;

        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        var z5 = (tmp10 - tmp12) * C6MinusC2;
        var z2 = (tmp10 * C2MinusC6) + z5;
        var z4 = (tmp12 * C2PlusC6) + z5;
        var z3 = tmp11 * C4;
        var z11 = tmp7 + z3;
        var z13 = tmp7 - z3;
        d5 = z13 + z2;
        d3 = z13 - z2;
        d1 = z11 + z4;
        d7 = z11 - z4;
    }

    /// <summary>The 8x8 transpose of eight row vectors (unpack, shuffle, swap 128-bit halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(ref Vector256<float> r0)
    {
        ref var r1 = ref Unsafe.Add(ref r0, 1);
        ref var r2 = ref Unsafe.Add(ref r0, 2);
        ref var r3 = ref Unsafe.Add(ref r0, 3);
        ref var r4 = ref Unsafe.Add(ref r0, 4);
        ref var r5 = ref Unsafe.Add(ref r0, 5);
        ref var r6 = ref Unsafe.Add(ref r0, 6);
        ref var r7 = ref Unsafe.Add(ref r0, 7);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        r0 = Avx.Permute2x128(s0, s4, 0x20);
        r1 = Avx.Permute2x128(s1, s5, 0x20);
        r2 = Avx.Permute2x128(s2, s6, 0x20);
        r3 = Avx.Permute2x128(s3, s7, 0x20);
        r4 = Avx.Permute2x128(s0, s4, 0x31);
        r5 = Avx.Permute2x128(s1, s5, 0x31);
        r6 = Avx.Permute2x128(s2, s6, 0x31);
        r7 = Avx.Permute2x128(s3, s7, 0x31);
    }

    /// <summary>One 1-D DCT over eight values <paramref name="step"/> floats apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScalarLine(ref float d, int step)
    {
        ref var d1 = ref Unsafe.Add(ref d, step);
        ref var d2 = ref Unsafe.Add(ref d, 2 * step);
        ref var d3 = ref Unsafe.Add(ref d, 3 * step);
        ref var d4 = ref Unsafe.Add(ref d, 4 * step);
        ref var d5 = ref Unsafe.Add(ref d, 5 * step);
        ref var d6 = ref Unsafe.Add(ref d, 6 * step);
        ref var d7 = ref Unsafe.Add(ref d, 7 * step);
        var tmp0 = d + d7;
        var tmp7 = d - d7;
        var tmp1 = d1 + d6;
        var tmp6 = d1 - d6;
        var tmp2 = d2 + d5;
        var tmp5 = d2 - d5;
        var tmp3 = d3 + d4;
        var tmp4 = d3 - d4;

        var tmp10 = tmp0 + tmp3;
        var tmp13 = tmp0 - tmp3;
        var tmp11 = tmp1 + tmp2;
        var tmp12 = tmp1 - tmp2;
        d = tmp10 + tmp11;
        d4 = tmp10 - tmp11;
        var z1 = (tmp12 + tmp13) * C4;
        d2 = tmp13 + z1;
        d6 = tmp13 - z1;

        tmp10 = tmp4 + tmp5;
        tmp11 = tmp5 + tmp6;
        tmp12 = tmp6 + tmp7;
        var z5 = (tmp10 - tmp12) * C6MinusC2;
        var z2 = (C2MinusC6 * tmp10) + z5;
        var z4 = (C2PlusC6 * tmp12) + z5;
        var z3 = tmp11 * C4;
        var z11 = tmp7 + z3;
        var z13 = tmp7 - z3;
        d5 = z13 + z2;
        d3 = z13 - z2;
        d1 = z11 + z4;
        d7 = z11 - z4;
    }
}
