#include "bank_commands.hpp"

#include "bank_build_command.hpp"
#include "bank_cli_support.hpp"

#include <slt/core/bank/bank_copy.hpp>
#include <slt/core/bank/bank_metadata.hpp>
#include <slt/core/bank/bank_dump.hpp>
#include <slt/core/bank/bank_verify.hpp>
#include <slt/core/bank/synthetic_bank.hpp>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <functional>
#include <limits>
#include <map>

namespace slt::cli {
namespace {

constexpr qint64 kMaxCount = std::numeric_limits<int32_t>::max();

QCommandLineOption progressOption()
{
    return {QStringLiteral("progress"), QStringLiteral("Show progress on stderr even when it is not a terminal.")};
}

QCommandLineOption forceOption()
{
    return {QStringLiteral("force"), QStringLiteral("Replace an existing output file (only once the new bank is complete).")};
}

QCommandLineOption backendOption(const QString& what)
{
    return {QStringLiteral("backend"),
            QStringLiteral("Bank backend of %1: hdf5 (default) or sqlite; any name maps to the plugin org.slt.bank.<name>.").arg(what),
            QStringLiteral("name"), QStringLiteral("hdf5")};
}

QJsonArray jsonArray(const std::vector<std::string>& items)
{
    QJsonArray array;
    for (const std::string& s : items)
        array.append(QString::fromStdString(s));
    return array;
}

int synthCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank synth"), QString(),
                       QStringLiteral("Write a synthetic but realistic bank: clustered embeddings, Monte-Carlo probabilities "
                                      "that disagree near cluster borders and are over-confident, every metric of "
                                      "org.slt.metric.standard, small tissue-like crops. The same seed gives the same "
                                      "content (uuid and creation time aside)."));
    const QCommandLineOption points(QStringLiteral("points"), QStringLiteral("Number of points (required)."), QStringLiteral("N"));
    const QCommandLineOption dim(QStringLiteral("dim"), QStringLiteral("Embedding dimension (default 64)."), QStringLiteral("D"));
    const QCommandLineOption classes(QStringLiteral("classes"), QStringLiteral("Number of classes (default 9)."), QStringLiteral("C"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Random seed (default 1)."), QStringLiteral("S"));
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("The bank file to write (required)."), QStringLiteral("file"));
    const QCommandLineOption truth(QStringLiteral("truth"), QStringLiteral("Also write point_id,true_class to this CSV."), QStringLiteral("csv"));
    const QCommandLineOption mc(QStringLiteral("mc"), QStringLiteral("Monte-Carlo passes T (default 20)."), QStringLiteral("T"));
    const QCommandLineOption crop(QStringLiteral("crop-size"), QStringLiteral("Crop size in pixels (default 32; 0: no crops)."), QStringLiteral("P"));
    const QCommandLineOption first(QStringLiteral("first-point"),
                                   QStringLiteral("Write a shard: the points of the seed's run from this index on (default 0)."),
                                   QStringLiteral("K"));
    const QCommandLineOption backend = backendOption(QStringLiteral("the new bank"));
    const QCommandLineOption progress = progressOption(), force = forceOption();
    level.parser().addOptions({points, dim, classes, seed, out, truth, mc, crop, first, backend, progress, force});
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(0, 0))
        return ExitUsage;
    if (!level.parser().isSet(points) || !level.parser().isSet(out))
        return level.usageError(QStringLiteral("--points and --out are required"));
    const auto n = integerOption(level, points, 0, 0, std::numeric_limits<int64_t>::max() / 2);
    const auto d = integerOption(level, dim, 64, 1, 65536);
    const auto c = integerOption(level, classes, 9, 2, 1000);
    const auto s = integerOption(level, seed, 1, 0, std::numeric_limits<qint64>::max());
    const auto t = integerOption(level, mc, 20, 1, 10000);
    const auto p = integerOption(level, crop, 32, 0, 1024);
    const auto k = integerOption(level, first, 0, 0, std::numeric_limits<int64_t>::max() / 2);
    if (!n || !d || !c || !s || !t || !p || !k)
        return ExitUsage;
    const QString path = level.parser().value(out);
    if (const QString problem = outputProblem(path, {}, level.parser().isSet(force)); !problem.isEmpty())
        return fail(QStringLiteral("synth"), problem);

    core::SyntheticBankOptions options;
    options.points = *n;
    options.dim = static_cast<int32_t>(*d);
    options.classes = static_cast<int32_t>(*c);
    options.seed = static_cast<uint64_t>(*s);
    options.mcSamples = static_cast<int32_t>(*t);
    options.cropSize = static_cast<int32_t>(*p);
    options.firstPoint = *k;
    BankPlugins plugins(context);
    auto writer = plugins.writableBackend(level.parser().value(backend));
    if (!writer)
        return fail(QStringLiteral("synth"), writer.error());
    auto metrics = core::metricPluginById(plugins.metrics(), QLatin1String(core::kStandardMetricPlugin));
    if (!metrics)
        return fail(QStringLiteral("synth"), QStringLiteral("cannot compute the scores: %1").arg(metrics.error()));
    ProgressLine line(QStringLiteral("synth"), level.parser().isSet(progress));
    const core::Status done = core::synthesizeBank(options, *writer, *metrics, path, level.parser().value(truth),
                                                   line.callback(), level.parser().isSet(force));
    if (!done)
        return fail(QStringLiteral("synth"), done.error());
    return ExitSuccess;
}

// Opens FILE (the only positional argument) with the backend that probes best.
struct OpenedBank {
    core::BankBackend backend;
    QString path;
};

QJsonObject infoJson(const OpenedBank& bank, const core::BankMetadata& m, sdk::host::BankProxy& proxy)
{
    auto runId = proxy.attribute(core::kRunIdAttribute);
    return QJsonObject{
        {QStringLiteral("path"), bank.path},
        {QStringLiteral("backend"), bank.backend.pluginId},
        {QStringLiteral("format"), QString::fromUtf8(bank.backend.factory->format_name ? bank.backend.factory->format_name : "")},
        {QStringLiteral("format_version"), static_cast<qint64>(m.formatVersion)},
        {QStringLiteral("uuid"), QString::fromStdString(m.uuid)},
        {QStringLiteral("created"), QString::fromStdString(m.createdUtc)},
        {QStringLiteral("model_id"), QString::fromStdString(m.modelId)},
        {QStringLiteral("checkpoint_hash"), QString::fromStdString(m.checkpointHash)},
        {QStringLiteral("mc_samples"), m.mcSamples},
        {QStringLiteral("points"), static_cast<qint64>(m.numPoints)},
        {QStringLiteral("images"), static_cast<qint64>(m.numImages)},
        {QStringLiteral("dim"), m.embeddingDim},
        {QStringLiteral("classes"), m.classes()},
        {QStringLiteral("class_names"), jsonArray(m.classNames)},
        {QStringLiteral("metrics"), jsonArray(m.metricNames)},
        {QStringLiteral("crop_size"), m.cropWidth == m.cropHeight ? m.cropWidth : 0},
        {QStringLiteral("crop_width"), m.cropWidth},
        {QStringLiteral("crop_height"), m.cropHeight},
        {QStringLiteral("run_id"), runId ? QString::fromStdString(*runId) : QString()},
    };
}

QString infoText(const QJsonObject& o)
{
    QString text;
    auto line = [&text](const char* label, const QString& value) {
        text += QStringLiteral("%1 %2\n").arg(QLatin1String(label), -17).arg(value.isEmpty() ? QStringLiteral("-") : value);
    };
    auto number = [&o](const char* key) { return QString::number(o.value(QLatin1String(key)).toInteger()); };
    auto list = [&o](const char* key) {
        QStringList items;
        for (const QJsonValue& v : o.value(QLatin1String(key)).toArray())
            items << v.toString();
        return items.join(QStringLiteral(", "));
    };
    line("file:", o.value(QStringLiteral("path")).toString());
    line("backend:", QStringLiteral("%1 (%2)").arg(o.value(QStringLiteral("format")).toString(), o.value(QStringLiteral("backend")).toString()));
    line("format version:", number("format_version"));
    line("uuid:", o.value(QStringLiteral("uuid")).toString());
    line("created:", o.value(QStringLiteral("created")).toString());
    line("model id:", o.value(QStringLiteral("model_id")).toString());
    line("checkpoint hash:", o.value(QStringLiteral("checkpoint_hash")).toString());
    line("run id:", o.value(QStringLiteral("run_id")).toString());
    line("mc samples:", number("mc_samples"));
    line("points:", number("points"));
    line("images:", number("images"));
    line("dim:", number("dim"));
    line("classes:", QStringLiteral("%1 (%2)").arg(number("classes"), list("class_names")));
    line("metrics:", list("metrics"));
    line("crop size:", o.value(QStringLiteral("crop_width")).toInt() > 0
                           ? QStringLiteral("%1x%2").arg(number("crop_width"), number("crop_height"))
                           : QStringLiteral("no crops"));
    return text;
}

int infoCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank info"), QStringLiteral("FILE"),
                       QStringLiteral("Show a bank's metadata: backend, format version, uuid, model, MC samples, points, "
                                      "images, dim, classes, metrics, crop size."));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print one JSON object."));
    level.parser().addOption(json);
    level.parser().addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The bank file."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    OpenedBank bank{{}, level.parser().positionalArguments().constFirst()};
    BankPlugins plugins(context);
    auto backend = plugins.readerFor(bank.path);
    if (!backend)
        return fail(QStringLiteral("info"), backend.error());
    bank.backend = *backend;
    auto proxy = core::openBank(bank.backend, bank.path, SLT_BANK_READ);
    if (!proxy)
        return fail(QStringLiteral("info"), proxy.error());
    auto raw = proxy->metadata();
    if (!raw)
        return fail(QStringLiteral("info"), QStringLiteral("'%1': %2").arg(bank.path, core::toQString(raw.status())));
    const QJsonObject object = infoJson(bank, core::BankMetadata::fromC(*raw), *proxy);
    printOut(level.parser().isSet(json) ? QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Indented))
                                        : infoText(object));
    return ExitSuccess;
}

int verifyCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank verify"), QStringLiteral("FILE"),
                       QStringLiteral("Re-read every column and every crop of a bank and compare with its stored CRC32 "
                                      "checksums. Exit 0 only when everything reads and every checksum matches."));
    const QCommandLineOption progress = progressOption();
    level.parser().addOption(progress);
    level.parser().addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The bank file."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    const QString path = level.parser().positionalArguments().constFirst();
    BankPlugins plugins(context);
    auto backend = plugins.readerFor(path);
    if (!backend)
        return fail(QStringLiteral("verify"), backend.error());
    std::optional<core::Result<core::VerifyReport>> report;
    {
        ProgressLine line(QStringLiteral("verify"), level.parser().isSet(progress));
        report.emplace(core::verifyBank(*backend, path, line.callback()));
    }
    if (!*report)
        return fail(QStringLiteral("verify"), report->error());
    for (const QString& checked : (*report)->checked)
        printOut(checked + QLatin1Char('\n'));
    if (!(*report)->ok()) {
        for (const QString& problem : (*report)->problems)
            printErr(QStringLiteral("slt-cli bank verify: '%1': %2\n").arg(path, problem));
        return ExitFailure;
    }
    printOut(QStringLiteral("'%1': %2 points verified\n").arg(path).arg((*report)->points));
    return ExitSuccess;
}

int convertCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank convert"), QStringLiteral("IN OUT"),
                       QStringLiteral("Copy a bank from any readable backend to a writable one, in batches. The copy keeps "
                                      "the uuid (it is the same bank) and gets fresh checksums."));
    const QCommandLineOption backend = backendOption(QStringLiteral("OUT"));
    const QCommandLineOption progress = progressOption(), force = forceOption();
    level.parser().addOptions({backend, progress, force});
    level.parser().addPositionalArgument(QStringLiteral("IN"), QStringLiteral("The bank to read."));
    level.parser().addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The bank to write."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(2, 2))
        return ExitUsage;
    const QString in = level.parser().positionalArguments().at(0), out = level.parser().positionalArguments().at(1);
    if (const QString problem = outputProblem(out, {in}, level.parser().isSet(force)); !problem.isEmpty())
        return fail(QStringLiteral("convert"), problem);
    BankPlugins plugins(context);
    auto from = plugins.readerFor(in);
    if (!from)
        return fail(QStringLiteral("convert"), from.error());
    auto to = plugins.writableBackend(level.parser().value(backend));
    if (!to)
        return fail(QStringLiteral("convert"), to.error());
    ProgressLine line(QStringLiteral("convert"), level.parser().isSet(progress));
    if (const core::Status s = core::convertBank(*from, in, *to, out, line.callback(), level.parser().isSet(force)); !s)
        return fail(QStringLiteral("convert"), s.error());
    return ExitSuccess;
}

int mergeCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank merge"), QStringLiteral("OUT IN..."),
                       QStringLiteral("Merge the shards of one run into one bank: points in the order given, image tables "
                                      "concatenated. Refuses shards of different runs (model id, checkpoint hash, MC "
                                      "samples, metrics, class schema, dim, crop size or build/run_id differ)."));
    const QCommandLineOption backend = backendOption(QStringLiteral("OUT"));
    const QCommandLineOption progress = progressOption(), force = forceOption();
    level.parser().addOptions({backend, progress, force});
    level.parser().addPositionalArgument(QStringLiteral("OUT"), QStringLiteral("The bank to write."));
    level.parser().addPositionalArgument(QStringLiteral("IN..."), QStringLiteral("The shards, in order."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(2, std::numeric_limits<int>::max()))
        return ExitUsage;
    QStringList inputs = level.parser().positionalArguments();
    const QString out = inputs.takeFirst();
    if (const QString problem = outputProblem(out, inputs, level.parser().isSet(force)); !problem.isEmpty())
        return fail(QStringLiteral("merge"), problem);
    BankPlugins plugins(context);
    std::vector<core::MergeInput> shards;
    for (const QString& input : inputs) {
        auto from = plugins.readerFor(input);
        if (!from)
            return fail(QStringLiteral("merge"), from.error());
        shards.push_back({*from, input});
    }
    auto to = plugins.writableBackend(level.parser().value(backend));
    if (!to)
        return fail(QStringLiteral("merge"), to.error());
    ProgressLine line(QStringLiteral("merge"), level.parser().isSet(progress));
    if (const core::Status s = core::mergeBanks(shards, *to, out, line.callback(), level.parser().isSet(force)); !s)
        return fail(QStringLiteral("merge"), s.error());
    return ExitSuccess;
}

int dumpCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank dump"), QStringLiteral("FILE"),
                       QStringLiteral("Write one CSV row per point: point_id, image, x, y, predicted_class, p0..p{C-1}, then "
                                      "one column per metric named by the metric (floats with 9 significant digits)."));
    const QCommandLineOption csv(QStringLiteral("csv"), QStringLiteral("The CSV file to write (required)."), QStringLiteral("file"));
    const QCommandLineOption progress = progressOption(), force = forceOption();
    level.parser().addOptions({csv, progress, force});
    level.parser().addPositionalArgument(QStringLiteral("FILE"), QStringLiteral("The bank file."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    if (!level.expectPositional(1, 1))
        return ExitUsage;
    if (!level.parser().isSet(csv))
        return level.usageError(QStringLiteral("--csv is required"));
    const QString path = level.parser().positionalArguments().constFirst(), out = level.parser().value(csv);
    if (const QString problem = outputProblem(out, {path}, level.parser().isSet(force)); !problem.isEmpty())
        return fail(QStringLiteral("dump"), problem);
    BankPlugins plugins(context);
    auto backend = plugins.readerFor(path);
    if (!backend)
        return fail(QStringLiteral("dump"), backend.error());
    ProgressLine line(QStringLiteral("dump"), level.parser().isSet(progress));
    if (const core::Status s = core::dumpBankCsv(*backend, path, out, line.callback()); !s)
        return fail(QStringLiteral("dump"), s.error());
    return ExitSuccess;
}

} // namespace

int runBankCommand(const QStringList& arguments, Context& context)
{
    CommandLevel level(QStringLiteral("bank"), QStringLiteral("<command>"),
                       QStringLiteral("Create, inspect, check and reshape memory banks.\n\nCommands:\n"
                                      "  build --model CKPT --out FILE ...  build a bank with a model plugin\n"
                                      "  synth --points N --out FILE ...  write a synthetic, realistic bank\n"
                                      "  info FILE [--json]               metadata of a bank\n"
                                      "  verify FILE                      re-read everything and compare checksums\n"
                                      "  convert IN OUT [--backend B]     copy a bank to another backend\n"
                                      "  merge OUT IN...                  merge the shards of one run\n"
                                      "  dump FILE --csv OUT              one CSV row per point\n"
                                      "Run 'slt-cli bank <command> --help' for a command's options."));
    level.stopAtFirstPositional();
    level.parser().addPositionalArgument(QStringLiteral("command"), QStringLiteral("build, synth, info, verify, convert, merge or dump."));
    if (int code = level.parse(arguments, context); code >= 0)
        return code;
    const QStringList rest = level.parser().positionalArguments();
    if (rest.isEmpty())
        return level.usageError(QStringLiteral("missing command: expected build, synth, info, verify, convert, merge or dump"));
    const std::map<QString, std::function<int(const QStringList&, Context&)>> commands{
        {QStringLiteral("build"), bankBuildCommand}, {QStringLiteral("synth"), synthCommand}, {QStringLiteral("info"), infoCommand},
        {QStringLiteral("verify"), verifyCommand},   {QStringLiteral("convert"), convertCommand},
        {QStringLiteral("merge"), mergeCommand},     {QStringLiteral("dump"), dumpCommand},
    };
    auto command = commands.find(rest.constFirst());
    if (command == commands.end())
        return level.usageError(QStringLiteral("unknown command '%1'").arg(rest.constFirst()));
    return command->second(rest, context);
}

} // namespace slt::cli
