#include "fake_plugins.hpp"

#include <slt/sdk/cpp/bank.hpp>

#include <QDataStream>
#include <QFile>

#include <cmath>
#include <cstring>
#include <map>

namespace slt::test {
namespace {

constexpr char kMagic[] = "SLTFAKEBANK1";

// Everything a fake bank holds.
struct Content {
    sdk::BankMetadata metadata;
    std::vector<int32_t> imageIndex, predicted;
    std::vector<float> x, y, probs, scores, embeddings;
    std::vector<uint8_t> crops;
    std::map<std::string, std::string> attributes;
};

template <class T>
void writeVector(QDataStream& s, const std::vector<T>& v)
{
    s << static_cast<qint64>(v.size());
    s.writeRawData(reinterpret_cast<const char*>(v.data()), static_cast<int>(v.size() * sizeof(T)));
}

template <class T>
void readVector(QDataStream& s, std::vector<T>& v)
{
    qint64 n = 0;
    s >> n;
    v.resize(static_cast<size_t>(n));
    s.readRawData(reinterpret_cast<char*>(v.data()), static_cast<int>(v.size() * sizeof(T)));
}

void writeString(QDataStream& s, const std::string& text)
{
    s << QByteArray::fromStdString(text);
}

std::string readString(QDataStream& s)
{
    QByteArray bytes;
    s >> bytes;
    return bytes.toStdString();
}

void save(const std::string& path, const Content& c)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly))
        throw sdk::Error(SLT_ERR_IO, "cannot write " + path);
    QDataStream s(&file);
    s.writeRawData(kMagic, sizeof kMagic);
    const sdk::BankMetadata& m = c.metadata;
    for (const std::string* text : {&m.uuid, &m.created_utc, &m.model_id, &m.checkpoint_hash})
        writeString(s, *text);
    s << m.mc_samples << m.embedding_dim << m.crop_width << m.crop_height << static_cast<qint64>(m.num_points);
    s << static_cast<qint32>(m.classes.size());
    for (const sdk::ClassInfo& k : m.classes) {
        s << k.id;
        writeString(s, k.name);
        writeString(s, k.colour);
    }
    s << static_cast<qint32>(m.metric_names.size());
    for (const std::string& name : m.metric_names) writeString(s, name);
    s << static_cast<qint32>(m.image_names.size());
    for (const std::string& name : m.image_names) writeString(s, name);
    writeVector(s, c.imageIndex);
    writeVector(s, c.predicted);
    for (const auto* v : {&c.x, &c.y, &c.probs, &c.scores, &c.embeddings}) writeVector(s, *v);
    writeVector(s, c.crops);
    s << static_cast<qint32>(c.attributes.size());
    for (const auto& [key, value] : c.attributes) {
        writeString(s, key);
        writeString(s, value);
    }
}

Content load(const std::string& path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        throw sdk::Error(SLT_ERR_IO, "cannot read " + path);
    QDataStream s(&file);
    char magic[sizeof kMagic] = {};
    s.readRawData(magic, sizeof magic);
    if (std::memcmp(magic, kMagic, sizeof kMagic) != 0)
        throw sdk::Error(SLT_ERR_FORMAT, "not a fake bank");
    Content c;
    sdk::BankMetadata& m = c.metadata;
    m.format_version = 1;
    for (std::string* text : {&m.uuid, &m.created_utc, &m.model_id, &m.checkpoint_hash})
        *text = readString(s);
    qint64 points = 0;
    s >> m.mc_samples >> m.embedding_dim >> m.crop_width >> m.crop_height >> points;
    m.num_points = points;
    qint32 count = 0;
    s >> count;
    for (qint32 i = 0; i < count; ++i) {
        sdk::ClassInfo k;
        s >> k.id;
        k.name = readString(s);
        k.colour = readString(s);
        m.classes.push_back(k);
    }
    s >> count;
    for (qint32 i = 0; i < count; ++i) m.metric_names.push_back(readString(s));
    s >> count;
    for (qint32 i = 0; i < count; ++i) m.image_names.push_back(readString(s));
    readVector(s, c.imageIndex);
    readVector(s, c.predicted);
    for (auto* v : {&c.x, &c.y, &c.probs, &c.scores, &c.embeddings}) readVector(s, *v);
    readVector(s, c.crops);
    s >> count;
    for (qint32 i = 0; i < count; ++i) {
        std::string key = readString(s);
        c.attributes[key] = readString(s);
    }
    if (s.status() != QDataStream::Ok)
        throw sdk::Error(SLT_ERR_FORMAT, "truncated fake bank");
    return c;
}

template <class T>
void copyRows(const std::vector<T>& from, int64_t first, int64_t count, int64_t width, T* to)
{
    if (to && width > 0)
        std::memcpy(to, from.data() + first * width, static_cast<size_t>(count * width) * sizeof(T));
}

template <class T>
void appendRows(std::vector<T>& to, const T* from, int64_t count, int64_t width)
{
    if (from && width > 0)
        to.insert(to.end(), from, from + count * width);
}

class FakeBank : public sdk::Bank {
public:
    static constexpr uint32_t capabilities = SLT_BANK_CAN_WRITE | SLT_BANK_HAS_CROPS;
    static constexpr const char* format_name = "Fake test bank";
    static constexpr const char* default_extension = "fake";
    static constexpr const char* file_filter = "Fake bank (*.fake)";

    static float probe(const std::string& path)
    {
        QFile file(QString::fromStdString(path));
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        return file.read(sizeof kMagic) == QByteArray(kMagic, sizeof kMagic) ? 1.0f : 0.0f;
    }

    FakeBank(const sdk::Host&, const std::string& path, slt_bank_mode mode, const sdk::BankMetadata* create)
        : path_(path), writable_(mode != SLT_BANK_READ)
    {
        if (mode == SLT_BANK_CREATE) {
            if (QFile::exists(QString::fromStdString(path)))
                throw sdk::Error(SLT_ERR_IO, "exists: " + path);
            c_.metadata = *create;
            c_.metadata.format_version = 1;
            c_.metadata.num_points = 0;
            c_.metadata.image_names.clear();
            if (c_.metadata.uuid.empty()) c_.metadata.uuid = "fake-uuid-" + std::to_string(++counter_);
            if (c_.metadata.created_utc.empty()) c_.metadata.created_utc = "2026-01-01T00:00:00Z";
            save(path_, c_);
        } else {
            c_ = load(path);
        }
    }

    sdk::BankMetadata metadata() override { return c_.metadata; }

    void read_points(int64_t first, slt_bank_columns& out, const sdk::Job&) override
    {
        const sdk::BankMetadata& m = c_.metadata;
        if (first + out.count > m.num_points)
            throw sdk::Error(SLT_ERR_INVALID_ARGUMENT, "range exceeds the bank");
        copyRows(c_.imageIndex, first, out.count, 1, out.image_index);
        copyRows(c_.x, first, out.count, 1, out.x);
        copyRows(c_.y, first, out.count, 1, out.y);
        copyRows(c_.predicted, first, out.count, 1, out.predicted_class);
        copyRows(c_.probs, first, out.count, static_cast<int64_t>(m.classes.size()), out.mean_probs);
        copyRows(c_.scores, first, out.count, static_cast<int64_t>(m.metric_names.size()), out.scores);
        copyRows(c_.embeddings, first, out.count, m.embedding_dim, out.embeddings);
    }

    sdk::Crop read_crop(int64_t index, slt_crop_format) override
    {
        const size_t bytes = static_cast<size_t>(c_.metadata.crop_width) * c_.metadata.crop_height * 3;
        if (bytes == 0) throw sdk::Error(SLT_ERR_NOT_FOUND, "no crops");
        sdk::Crop crop;
        crop.width = c_.metadata.crop_width;
        crop.height = c_.metadata.crop_height;
        crop.encoding = "rgb";
        crop.bytes.assign(c_.crops.begin() + static_cast<std::ptrdiff_t>(index * bytes),
                          c_.crops.begin() + static_cast<std::ptrdiff_t>((index + 1) * bytes));
        return crop;
    }

    std::optional<std::string> attribute(const std::string& key) override
    {
        auto it = c_.attributes.find(key);
        return it == c_.attributes.end() ? std::nullopt : std::optional<std::string>(it->second);
    }

    void append_images(const std::vector<std::string>& names) override
    {
        c_.metadata.image_names.insert(c_.metadata.image_names.end(), names.begin(), names.end());
    }

    void append_points(const slt_bank_points& p) override
    {
        const sdk::BankMetadata& m = c_.metadata;
        appendRows(c_.imageIndex, p.image_index, p.count, 1);
        appendRows(c_.x, p.x, p.count, 1);
        appendRows(c_.y, p.y, p.count, 1);
        appendRows(c_.predicted, p.predicted_class, p.count, 1);
        appendRows(c_.probs, p.mean_probs, p.count, static_cast<int64_t>(m.classes.size()));
        appendRows(c_.scores, p.scores, p.count, static_cast<int64_t>(m.metric_names.size()));
        appendRows(c_.embeddings, p.embeddings, p.count, m.embedding_dim);
        appendRows(c_.crops, p.crops, p.count, static_cast<int64_t>(m.crop_width) * m.crop_height * 3);
        c_.metadata.num_points += p.count;
    }

    void set_attribute(const std::string& key, const std::string& value) override { c_.attributes[key] = value; }
    void flush() override
    {
        if (writable_) save(path_, c_);
    }

    static void corrupt(const std::string& path, int64_t row, float delta)
    {
        Content c = load(path);
        c.embeddings.at(static_cast<size_t>(row * c.metadata.embedding_dim)) += delta;
        save(path, c);
    }

private:
    static inline int counter_ = 0;
    std::string path_;
    bool writable_;
    Content c_;
};

// The fake metric family: entropy of the mean (T >= 1) and BALD (T >= 2), written against the C table.
const slt_metric_info kMetricInfos[] = {
    {sizeof(slt_metric_info), "entropy", "Entropy", nullptr, 1, 1},
    {sizeof(slt_metric_info), "bald", "BALD", nullptr, 2, 1},
};

struct FakeMetric {
    std::vector<int32_t> selected;
};

const slt_metric_info* getMetric(int32_t index)
{
    return index >= 0 && index < 2 ? &kMetricInfos[index] : nullptr;
}

slt_status valueRange(int32_t, int64_t classes, int64_t, double* lo, double* hi, slt_error*)
{
    *lo = 0;
    *hi = std::log(static_cast<double>(classes));
    return SLT_OK;
}

slt_status createMetric(const slt_host*, const int32_t* indices, int32_t count, slt_metric** out, slt_error*)
{
    *out = reinterpret_cast<slt_metric*>(new FakeMetric{std::vector<int32_t>(indices, indices + count)});
    return SLT_OK;
}

void destroyMetric(slt_metric* metric)
{
    delete reinterpret_cast<FakeMetric*>(metric);
}

double entropy(const std::vector<double>& p)
{
    double h = 0;
    for (double v : p)
        if (v > 0) h -= v * std::log(v);
    return h;
}

slt_status computeMetric(slt_metric* metric, const slt_array* probs, slt_array* out, const slt_job*, slt_error*)
{
    const auto* self = reinterpret_cast<FakeMetric*>(metric);
    const int64_t T = probs->shape[0], N = probs->shape[1], C = probs->shape[2];
    const auto* p = static_cast<const float*>(probs->data);
    auto* scores = static_cast<float*>(out->data);
    for (int64_t n = 0; n < N; ++n) {
        std::vector<double> mean(static_cast<size_t>(C), 0.0);
        double meanOfEntropies = 0;
        for (int64_t t = 0; t < T; ++t) {
            std::vector<double> row(static_cast<size_t>(C));
            for (int64_t c = 0; c < C; ++c) {
                row[c] = p[t * probs->strides[0] + n * probs->strides[1] + c * probs->strides[2]];
                mean[c] += row[c] / static_cast<double>(T);
            }
            meanOfEntropies += entropy(row) / static_cast<double>(T);
        }
        const double h = entropy(mean);
        for (size_t j = 0; j < self->selected.size(); ++j)
            scores[n * static_cast<int64_t>(self->selected.size()) + static_cast<int64_t>(j)] =
                static_cast<float>(self->selected[j] == 0 ? h : h - meanOfEntropies);
    }
    return SLT_OK;
}

const slt_metric_factory kMetricFactory = {sizeof(slt_metric_factory), 2, &getMetric, &valueRange, &createMetric,
                                           &destroyMetric, &computeMetric};

} // namespace

core::BankBackend fakeBankBackend()
{
    return {QStringLiteral("org.slt.test.fake-bank"), &sdk::detail::BankTable<FakeBank>::table, nullptr};
}

core::MetricPlugin fakeMetricPlugin()
{
    return {QStringLiteral("org.slt.test.fake-metrics"), &kMetricFactory, nullptr};
}

void corruptFakeEmbedding(const QString& path, int64_t row, float delta)
{
    FakeBank::corrupt(path.toStdString(), row, delta);
}

} // namespace slt::test
