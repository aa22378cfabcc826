package io.goflow.exporter.decoders.template;

import io.goflow.exporter.decoders.testsupport.ByteFixture;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DataSetDecoderTest
{
    @Test
    void shouldConvertNtpEpochStartToUnixEpochMinusOffset()
    {
        assertEquals(-2_208_988_800L * 1_000_000_000L, DataSetDecoder.ntpToEpochNs(0));
    }

    @Test
    void shouldConvertNtpFractionToNanoseconds()
    {
        final long ntp = (2_208_988_800L << 32) | 0x0000_0001L;

        assertEquals(0, DataSetDecoder.ntpToEpochNs(ntp));   // 2^-32 s = 0.23 ns truncates to 0
        assertEquals(999_999_999L, DataSetDecoder.ntpToEpochNs((2_208_988_800L << 32) | 0xFFFF_FFFFL));
    }

    @Test
    void shouldReadUnsignedBigEndianOfEveryLengthUpToEight()
    {
        final UnsafeBuffer b = new ByteFixture().hex("01 02 03 04 05 06 07 08 09").toBuffer();

        assertEquals(0x01L, DataSetDecoder.unsigned(b, 0, 1));
        assertEquals(0x0102L, DataSetDecoder.unsigned(b, 0, 2));
        assertEquals(0x010203L, DataSetDecoder.unsigned(b, 0, 3));
        assertEquals(0x01020304L, DataSetDecoder.unsigned(b, 0, 4));
        assertEquals(0x0102030405L, DataSetDecoder.unsigned(b, 0, 5));
        assertEquals(0x010203040506L, DataSetDecoder.unsigned(b, 0, 6));
        assertEquals(0x01020304050607L, DataSetDecoder.unsigned(b, 0, 7));
        assertEquals(0x0102030405060708L, DataSetDecoder.unsigned(b, 0, 8));
        assertEquals(0x0203040506070809L, DataSetDecoder.unsigned(b, 0, 9));
    }

    @Test
    void shouldReadFourByteValueAboveSignedRangeAsPositive()
    {
        final UnsafeBuffer b = new ByteFixture().u32(0xFFFF_FFFEL).toBuffer();

        assertEquals(0xFFFF_FFFEL, DataSetDecoder.unsigned(b, 0, 4));
    }
}
