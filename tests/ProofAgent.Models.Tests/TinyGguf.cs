using System.Text;

namespace ProofAgent.Models.Tests;

/// <summary>The shape of a tiny llama-architecture model written by <see cref="TinyGguf"/>.</summary>
public sealed record TinyModelShape(
    int EmbeddingLength = 64,
    int Layers = 2,
    int Heads = 4,
    int KvHeads = 2,
    int FeedForwardLength = 128,
    int TrainedContextLength = 4096,
    ulong WeightSeed = 20240607,
    float WeightScale = 0.35f);

/// <summary>
/// Writes a GGUF v3 file (https://github.com/ggml-org/ggml/blob/master/docs/gguf.md) holding a tiny llama-architecture
/// model: a SentencePiece-style vocabulary in the metadata (control tokens, the 256 byte tokens, printable ASCII and a few
/// merges) and F32 weights drawn from a fixed-seed generator. Written by the tests, never committed (*.gguf is ignored).
/// </summary>
public static class TinyGguf
{
    private const uint Alignment = 32;

    private enum ValueType : uint
    {
        UInt32 = 4,
        Int32 = 5,
        Float32 = 6,
        Bool = 7,
        String = 8,
        Array = 9,
    }

    /// <summary>The vocabulary: token 0 unk, 1 bos, 2 eos, 3..258 bytes, then pieces.</summary>
    public static IReadOnlyList<(string Piece, float Score, int Type)> Vocabulary { get; } = BuildVocabulary();

    /// <summary>Writes the model to <paramref name="path"/> (overwriting it) and returns the path.</summary>
    public static string Write(string path, TinyModelShape? shape = null)
    {
        shape ??= new TinyModelShape();
        var vocab = Vocabulary;
        int nVocab = vocab.Count, nEmbd = shape.EmbeddingLength, nFf = shape.FeedForwardLength;
        int headDim = nEmbd / shape.Heads, nEmbdKv = headDim * shape.KvHeads;

        var tensors = new List<(string Name, ulong[] Dims, Func<float[]> Data)>();
        var random = new SplitMix64(shape.WeightSeed);
        float[] Random(int count, float scale)
        {
            var values = new float[count];
            for (var i = 0; i < count; i++)
            {
                values[i] = (float)((random.NextDouble() * 2) - 1) * scale;
            }

            return values;
        }

        float[] Ones(int count) => Enumerable.Repeat(1f, count).ToArray();
        var scale = shape.WeightScale;
        void Add(string name, ulong[] dims, float[] data) => tensors.Add((name, dims, () => data));

        Add("token_embd.weight", [(ulong)nEmbd, (ulong)nVocab], Random(nEmbd * nVocab, 1f));
        for (var layer = 0; layer < shape.Layers; layer++)
        {
            var p = $"blk.{layer}.";
            Add(p + "attn_norm.weight", [(ulong)nEmbd], Ones(nEmbd));
            Add(p + "attn_q.weight", [(ulong)nEmbd, (ulong)nEmbd], Random(nEmbd * nEmbd, scale));
            Add(p + "attn_k.weight", [(ulong)nEmbd, (ulong)nEmbdKv], Random(nEmbd * nEmbdKv, scale));
            Add(p + "attn_v.weight", [(ulong)nEmbd, (ulong)nEmbdKv], Random(nEmbd * nEmbdKv, scale));
            Add(p + "attn_output.weight", [(ulong)nEmbd, (ulong)nEmbd], Random(nEmbd * nEmbd, scale));
            Add(p + "ffn_norm.weight", [(ulong)nEmbd], Ones(nEmbd));
            Add(p + "ffn_gate.weight", [(ulong)nEmbd, (ulong)nFf], Random(nEmbd * nFf, scale));
            Add(p + "ffn_up.weight", [(ulong)nEmbd, (ulong)nFf], Random(nEmbd * nFf, scale));
            Add(p + "ffn_down.weight", [(ulong)nFf, (ulong)nEmbd], Random(nFf * nEmbd, scale));
        }

        Add("output_norm.weight", [(ulong)nEmbd], Ones(nEmbd));
        Add("output.weight", [(ulong)nEmbd, (ulong)nVocab], Random(nEmbd * nVocab, 1f));

        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        var metadata = new List<Action>();
        var count = 0;
        void KvU32(string key, uint value) { count++; metadata.Add(() => { Str(w, key); w.Write((uint)ValueType.UInt32); w.Write(value); }); }
        void KvF32(string key, float value) { count++; metadata.Add(() => { Str(w, key); w.Write((uint)ValueType.Float32); w.Write(value); }); }
        void KvStr(string key, string value) { count++; metadata.Add(() => { Str(w, key); w.Write((uint)ValueType.String); Str(w, value); }); }
        void KvBool(string key, bool value) { count++; metadata.Add(() => { Str(w, key); w.Write((uint)ValueType.Bool); w.Write(value); }); }

        KvStr("general.architecture", "llama");
        KvStr("general.name", "proofagent-tiny-test");
        KvU32("general.file_type", 0);
        KvU32("llama.context_length", (uint)shape.TrainedContextLength);
        KvU32("llama.embedding_length", (uint)nEmbd);
        KvU32("llama.block_count", (uint)shape.Layers);
        KvU32("llama.feed_forward_length", (uint)nFf);
        KvU32("llama.attention.head_count", (uint)shape.Heads);
        KvU32("llama.attention.head_count_kv", (uint)shape.KvHeads);
        KvU32("llama.rope.dimension_count", (uint)headDim);
        KvF32("llama.rope.freq_base", 10000f);
        KvF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        KvU32("llama.vocab_size", (uint)nVocab);
        KvStr("tokenizer.ggml.model", "llama");
        count++;
        metadata.Add(() =>
        {
            Str(w, "tokenizer.ggml.tokens");
            w.Write((uint)ValueType.Array);
            w.Write((uint)ValueType.String);
            w.Write((ulong)nVocab);
            foreach (var token in vocab)
            {
                Str(w, token.Piece);
            }
        });
        count++;
        metadata.Add(() =>
        {
            Str(w, "tokenizer.ggml.scores");
            w.Write((uint)ValueType.Array);
            w.Write((uint)ValueType.Float32);
            w.Write((ulong)nVocab);
            foreach (var token in vocab)
            {
                w.Write(token.Score);
            }
        });
        count++;
        metadata.Add(() =>
        {
            Str(w, "tokenizer.ggml.token_type");
            w.Write((uint)ValueType.Array);
            w.Write((uint)ValueType.Int32);
            w.Write((ulong)nVocab);
            foreach (var token in vocab)
            {
                w.Write(token.Type);
            }
        });
        KvU32("tokenizer.ggml.bos_token_id", 1);
        KvU32("tokenizer.ggml.eos_token_id", 2);
        KvU32("tokenizer.ggml.unknown_token_id", 0);
        KvBool("tokenizer.ggml.add_bos_token", true);
        KvBool("tokenizer.ggml.add_eos_token", false);

        w.Write("GGUF"u8);
        w.Write(3u);
        w.Write((ulong)tensors.Count);
        w.Write((ulong)count);
        foreach (var write in metadata)
        {
            write();
        }

        ulong offset = 0;
        var offsets = new List<ulong>();
        foreach (var (name, dims, _) in tensors)
        {
            Str(w, name);
            w.Write((uint)dims.Length);
            foreach (var dim in dims)
            {
                w.Write(dim);
            }

            w.Write(0u); // GGML_TYPE_F32
            w.Write(offset);
            offsets.Add(offset);
            var bytes = dims.Aggregate(4UL, (a, d) => a * d);
            offset = Align(offset + bytes);
        }

        Pad(w);
        var dataStart = (ulong)stream.Position;
        for (var i = 0; i < tensors.Count; i++)
        {
            var target = dataStart + offsets[i];
            while ((ulong)stream.Position < target)
            {
                w.Write((byte)0);
            }

            foreach (var value in tensors[i].Data())
            {
                w.Write(value);
            }
        }

        Pad(w);
        return path;
    }

    private static ulong Align(ulong value) => (value + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter w)
    {
        w.Flush();
        while (w.BaseStream.Position % Alignment != 0)
        {
            w.Write((byte)0);
        }
    }

    private static void Str(BinaryWriter w, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static List<(string, float, int)> BuildVocabulary()
    {
        const int Normal = 1, Unknown = 2, Control = 3, Byte = 6;
        var vocab = new List<(string, float, int)> { ("<unk>", 0f, Unknown), ("<s>", 0f, Control), ("</s>", 0f, Control) };
        for (var b = 0; b < 256; b++)
        {
            vocab.Add(($"<0x{b:X2}>", 0f, Byte));
        }

        vocab.Add(("\u2581", -1f, Normal));
        for (var c = 0x21; c <= 0x7E; c++)
        {
            vocab.Add((((char)c).ToString(), -2f, Normal));
        }

        string[] merges = ["\u2581t", "\u2581a", "\u2581b", "th", "he", "in", "er", "re", "on", ":=", "by", "\u2581by", "\u2581:=", "em", "or", "\u2581x", "\u2581n"];
        for (var i = 0; i < merges.Length; i++)
        {
            vocab.Add((merges[i], -3f - i, Normal));
        }

        return vocab;
    }

    /// <summary>A tiny deterministic generator, independent of the runtime's <see cref="System.Random"/>.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public double NextDouble()
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }
}
