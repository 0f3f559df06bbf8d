namespace PostureSense.FirmwareSim.Sensor;

/// <summary>The MPU-6050's FIFO: a byte ring that, when full, loses its oldest whole samples.</summary>
internal sealed class FifoBuffer(int capacity)
{
    readonly byte[] _bytes = new byte[capacity];
    int _head;

    public int Capacity => capacity;
    public int Count { get; private set; }

    public void Clear() => _head = Count = 0;

    public bool TryPop(out byte value)
    {
        if (Count == 0) { value = 0; return false; }
        value = _bytes[_head];
        _head = (_head + 1) % capacity;
        Count--;
        return true;
    }

    /// <summary>Appends one sample; returns true when older samples had to go to make room.</summary>
    public bool Push(ReadOnlySpan<byte> sample)
    {
        var dropped = false;
        if (Count + sample.Length > capacity)
        {
            dropped = true;
            // A sample the host has half read goes first, then whole samples, so what stays
            // starts on a sample boundary.
            var partial = Count % sample.Length;
            Drop(partial);
            while (Count + sample.Length > capacity) Drop(sample.Length);
        }
        foreach (var b in sample)
        {
            _bytes[(_head + Count) % capacity] = b;
            Count++;
        }
        return dropped;
    }

    void Drop(int bytes)
    {
        bytes = Math.Min(bytes, Count);
        _head = (_head + bytes) % capacity;
        Count -= bytes;
    }
}
