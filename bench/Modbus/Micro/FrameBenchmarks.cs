using System.Buffers;
using BenchmarkDotNet.Attributes;
using EdgePartition.Modbus;
using EdgePartition.Modbus.Framing;
using EdgePartition.Modbus.Wire;

namespace EdgePartition.Bench.Modbus.Micro;

/// <summary>One FC 3 request framed, and one 125-register reply cut from a byte stream and decoded, as the client does.</summary>
public class FrameBenchmarks
{
    private const int Registers = 125;
    private readonly byte[] _request = new byte[ModbusLimits.MaxAduLength];
    private readonly byte[] _received = new byte[ModbusLimits.MbapHeaderLength + 2 + (2 * Registers)];
    private readonly byte[] _response = new byte[ModbusLimits.MaxPduLength];
    private readonly ushort[] _values = new ushort[Registers];

    [GlobalSetup]
    public void Setup()
    {
        var pdu = _received.AsSpan(ModbusLimits.MbapHeaderLength);
        pdu[0] = (byte)ModbusFunction.ReadHoldingRegisters;
        pdu[1] = 2 * Registers;
        for (var i = 0; i < Registers; i++)
        {
            pdu[2 + (2 * i)] = (byte)(i >> 8);
            pdu[3 + (2 * i)] = (byte)i;
        }

        MbapHeader.Write(_received, 0x1234, 1, pdu.Length);
    }

    [Benchmark]
    public int EncodeReadRequest()
    {
        var length = RequestEncoder.Read(_request.AsSpan(ModbusLimits.MbapHeaderLength), ModbusFunction.ReadHoldingRegisters, 100, Registers);
        MbapHeader.Write(_request, 0x1234, 1, length);
        return length;
    }

    [Benchmark]
    public int DecodeReadReply()
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(_received));
        if (!MbapFrameReader.TryRead(ref reader, out var header, out var pdu))
        {
            throw new InvalidOperationException("the frame is whole");
        }

        pdu.CopyTo(_response);
        ResponseDecoder.ReadRegisters(_response.AsSpan(0, (int)pdu.Length), ModbusFunction.ReadHoldingRegisters, _values);
        return header.TransactionId + _values[Registers - 1];
    }
}
