#include "bench_report.hpp"

#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

namespace slt::bench {

void print(const Figure& figure)
{
    QJsonObject line = figure.extra;
    line.insert("bench", figure.bench);
    line.insert("metric", figure.metric);
    line.insert("value", figure.value);
    line.insert("unit", figure.unit);
    if (figure.baseline) {
        line.insert("baseline", *figure.baseline);
        line.insert("ratio", *figure.baseline > 0 ? figure.value / *figure.baseline : 0.0);
    }
    std::printf("%s\n", QJsonDocument(line).toJson(QJsonDocument::Compact).constData());
    std::fflush(stdout);
}

double median(std::vector<double> samples)
{
    if (samples.empty())
        return 0;
    const auto middle = samples.begin() + static_cast<std::ptrdiff_t>(samples.size() / 2);
    std::nth_element(samples.begin(), middle, samples.end());
    return *middle;
}

} // namespace slt::bench
