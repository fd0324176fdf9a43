// The label readers: every format's good case with exact points, and every malformed input refused with the
// file, the line (or JSON position) and what is wrong.
#include "training_test_support.hpp"

#include <slt/core/training_data/data_sources.hpp>
#include <slt/core/training_data/point_readers.hpp>
#include <slt/core/training_data/side_by_side.hpp>

using namespace slt;
using namespace slt::core::training_data;

namespace {

std::string text(const QString& s)
{
    return s.toStdString();
}

const LabelledImage& imageNamed(const LabelledData& data, const QString& fileName)
{
    for (const LabelledImage& image : data.images)
        if (QFileInfo(image.path).fileName() == fileName)
            return image;
    FAIL("no image " << fileName.toStdString());
    return data.images.front();
}

} // namespace

TEST_CASE("tiles CSV image,label puts one point at each tile's centre and reads ids and names", "[readers]")
{
    QTemporaryDir dir;
    const QString csv = test::writeFile(dir, QStringLiteral("tiles.csv"),
                                        "image,label\na.png,3\nsub/b.png,Tumour\n\"c,1.png\",  stroma \n");
    auto data = readTilesCsv(csv, test::defaultLabels(), {});
    REQUIRE(data.ok());
    REQUIRE(data->images.size() == 3);
    CHECK(data->images[0].path == dir.filePath(QStringLiteral("a.png")));
    CHECK(data->images[1].path == dir.filePath(QStringLiteral("sub/b.png")));
    CHECK(data->images[2].path == dir.filePath(QStringLiteral("c,1.png")));
    CHECK(data->images[0].points.at(0).classId == 3);
    CHECK(data->images[1].points.at(0).classId == 1);
    CHECK(data->images[2].points.at(0).classId == 2);
    CHECK(data->images[0].points.at(0).atCentre);
}

TEST_CASE("tiles CSV image,x,y,label groups several rows per image and skips special labels with a note", "[readers]")
{
    QTemporaryDir dir;
    const QString abs = dir.filePath(QStringLiteral("abs.png"));
    const QString csv = test::writeFile(dir, QStringLiteral("points.csv"),
                                        QStringLiteral("image,x,y,label\r\na.png,1.5,2,0\na.png,10,20,8\n%1,3,4,Unsure\n%1,5,6,-3\n\n")
                                            .arg(abs)
                                            .toUtf8());
    auto data = readTilesCsv(csv, test::defaultLabels(), {});
    REQUIRE(data.ok());
    REQUIRE(data->images.size() == 2);
    const LabelledImage& a = data->images[0];
    REQUIRE(a.points.size() == 2);
    CHECK(a.points[0].x == 1.5);
    CHECK(a.points[0].y == 2);
    CHECK(a.points[1].classId == 8);
    CHECK(data->images[1].path == abs);
    CHECK(data->images[1].points.empty());
    REQUIRE(data->notes.size() == 1);
    CHECK(data->notes[0].contains(QLatin1String("2 point(s)")));
}

TEST_CASE("tiles CSV column names are configurable (PathMNIST's labels.csv)", "[readers]")
{
    QTemporaryDir dir;
    const QString csv = test::writeFile(dir, QStringLiteral("labels.csv"),
                                        "filename,pathmnist_train_index,label_index,label_code\ntrain_0.png,0,5,MUS\n");
    ReaderOptions options;
    options.imageColumn = QStringLiteral("filename");
    options.labelColumn = QStringLiteral("label_index");
    options.imagesDir = QStringLiteral("images");
    auto data = readTilesCsv(csv, test::defaultLabels(), options);
    REQUIRE(data.ok());
    CHECK(data->images.at(0).path == dir.filePath(QStringLiteral("images/train_0.png")));
    CHECK(data->images.at(0).points.at(0).classId == 5);
}

TEST_CASE("malformed tiles CSVs are refused with the line number", "[readers]")
{
    QTemporaryDir dir;
    struct Case {
        const char* content;
        const char* expected;
    };
    const Case cases[] = {
        {"", "is empty"},
        {"picture,label\na.png,1\n", "line 1: expected the columns image,label"},
        {"image,x,label\na.png,1,1\n", "line 1: expected the columns"},
        {"image,label\na.png,1\nb.png\n", "line 3: expected 2 fields like the header, got 1"},
        {"image,label\na.png,1\nb.png,Banana\n", "line 3: label 'Banana' is neither a class id nor a class name"},
        {"image,label\na.png,12\n", "line 2: class id 12 is not in the class schema"},
        {"image,label\n,1\n", "line 2: the image name is empty"},
        {"image,x,y,label\na.png,-1,2,1\n", "line 2: x and y must be numbers >= 0, got '-1' and '2'"},
        {"image,x,y,label\na.png,1,nan,1\n", "line 2: x and y must be numbers"},
        {"image,label\n\"a.png,1\n", "line 2: a quoted field is not closed"},
        {"image,label\na.png,\n", "line 2: the label is empty"},
    };
    for (const Case& c : cases) {
        const QString csv = test::writeFile(dir, QStringLiteral("bad.csv"), c.content);
        auto data = readTilesCsv(csv, test::defaultLabels(), {});
        INFO(c.content);
        REQUIRE_FALSE(data.ok());
        CHECK_THAT(text(data.error()), Catch::Contains(c.expected));
        CHECK_THAT(text(data.error()), Catch::Contains("bad.csv"));
    }
    auto missing = readTilesCsv(dir.filePath(QStringLiteral("none.csv")), test::defaultLabels(), {});
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(text(missing.error()), Catch::Contains("does not exist"));
}

TEST_CASE("SLT JSON reads [row, col] coordinates as (x = col, y = row)", "[readers]")
{
    QTemporaryDir dir;
    const QString json = test::writeFile(dir, QStringLiteral("labels.json"), R"({
        "a.png": [{"class_id": 2, "cluster_id": 0, "coord": [10, 20]}, {"class_id": -2, "coord": [1, 1]}],
        "b.png": [{"label": "Mucin", "coord": [5.5, 6]}]
    })");
    auto data = readSltJson(json, test::defaultLabels(), {});
    REQUIRE(data.ok());
    const LabelledImage& a = imageNamed(*data, QStringLiteral("a.png"));
    REQUIRE(a.points.size() == 1);
    CHECK(a.points[0].x == 20);
    CHECK(a.points[0].y == 10);
    CHECK(a.points[0].classId == 2);
    CHECK(imageNamed(*data, QStringLiteral("b.png")).points.at(0).classId == 7);
    CHECK(data->notes.size() == 1);
}

TEST_CASE("malformed SLT JSON is refused with the line and column or the point's key path", "[readers]")
{
    QTemporaryDir dir;
    struct Case {
        const char* content;
        const char* expected;
    };
    const Case cases[] = {
        {"{\n  \"a.png\": [\n    {\"class_id\": 1, \"coord\": [1, 2]}\n    {\"class_id\": 1}\n  ]\n}", "line 4, column"},
        {"[1, 2]", "expected an object"},
        {R"({"a.png": 3})", "\"a.png\" must hold an array of points"},
        {R"({"a.png": [{"class_id": 1, "coord": [1]}]})", "\"a.png\"[0]: \"coord\" must be [row, col]"},
        {R"({"a.png": [{"class_id": 1, "coord": [1, 2]}, {"coord": [1, 2]}]})", "\"a.png\"[1]: the point has no integer \"class_id\""},
        {R"({"a.png": [{"class_id": 42, "coord": [1, 2]}]})", "\"a.png\"[0]: class id 42 is not in the class schema"},
    };
    for (const Case& c : cases) {
        const QString json = test::writeFile(dir, QStringLiteral("bad.json"), c.content);
        auto data = readSltJson(json, test::defaultLabels(), {});
        INFO(c.content);
        REQUIRE_FALSE(data.ok());
        CHECK_THAT(text(data.error()), Catch::Contains(c.expected));
    }
}

TEST_CASE("QuPath GeoJSON reads Point and MultiPoint features and counts other geometries", "[readers]")
{
    QTemporaryDir dir;
    const QString geojson = test::writeFile(dir, QStringLiteral("tile.geojson"), R"({
      "type": "FeatureCollection",
      "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [12.5, 3]},
         "properties": {"classification": {"name": "Tumour", "color": [200, 0, 0]}}},
        {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": [[1, 2], [3, 4]]},
         "properties": {"classification": {"name": "necrosis"}}},
        {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0,0],[1,0],[1,1],[0,0]]]},
         "properties": {"classification": {"name": "Stroma"}}}
      ]})");
    const QString image = dir.filePath(QStringLiteral("tile.png"));
    auto data = readQuPathGeoJson(geojson, image, test::defaultLabels(), {});
    REQUIRE(data.ok());
    REQUIRE(data->images.size() == 1);
    const auto& points = data->images[0].points;
    REQUIRE(points.size() == 3);
    CHECK(points[0].x == 12.5);
    CHECK(points[0].y == 3);
    CHECK(points[0].classId == 1);
    CHECK(points[2].x == 3);
    CHECK(points[2].classId == 3);
    CHECK_THAT(text(data->notes.join(QLatin1Char('|'))), Catch::Contains("1 feature(s) that are not points"));

    const QString bare = test::writeFile(dir, QStringLiteral("bare.geojson"),
                                         R"([{"geometry": {"type": "Point", "coordinates": [1, 1]}, "properties": {"classification": {"name": "Vessel"}}}])");
    auto array = readQuPathGeoJson(bare, image, test::defaultLabels(), {});
    REQUIRE(array.ok());
    CHECK(array->images.at(0).points.at(0).classId == 4);
}

TEST_CASE("malformed QuPath GeoJSON is refused with the position or the feature number", "[readers]")
{
    QTemporaryDir dir;
    const QString image = dir.filePath(QStringLiteral("tile.png"));
    struct Case {
        const char* content;
        const char* expected;
    };
    const Case cases[] = {
        {"{\"type\": \"FeatureCollection\",\n \"features\": [\n }", "line 3, column"},
        {R"({"type": "FeatureCollection"})", "expected a FeatureCollection with \"features\""},
        {R"([{"geometry": {"type": "Point", "coordinates": [1, 1]}, "properties": {}}])", "feature 1: the point has no classification name"},
        {R"([{"geometry": {"type": "Point", "coordinates": [1, 1]}, "properties": {"classification": {"name": "Tumour"}}},
            {"geometry": {"type": "Point", "coordinates": ["a", 1]}, "properties": {"classification": {"name": "Tumour"}}}])",
         "feature 2: coordinates must be [x, y]"},
        {R"([{"geometry": {"type": "Point", "coordinates": [1, 1]}, "properties": {"classification": {"name": "Osteoid"}}}])",
         "feature 1: label 'Osteoid' is neither a class id nor a class name"},
    };
    for (const Case& c : cases) {
        const QString geojson = test::writeFile(dir, QStringLiteral("bad.geojson"), c.content);
        auto data = readQuPathGeoJson(geojson, image, test::defaultLabels(), {});
        INFO(c.content);
        REQUIRE_FALSE(data.ok());
        CHECK_THAT(text(data.error()), Catch::Contains(c.expected));
    }
}

TEST_CASE("a folder pairs images with their sidecar point files", "[readers]")
{
    QTemporaryDir dir;
    test::MemoryImageAccess access;
    test::writeFile(dir, QStringLiteral("data/a.png"), "x");
    test::writeFile(dir, QStringLiteral("data/a.csv"), "x,y,label\n1,2,Tumour\n3,4,5\n");
    test::writeFile(dir, QStringLiteral("data/b.tif"), "x");
    test::writeFile(dir, QStringLiteral("data/b.geojson"),
                    R"([{"geometry": {"type": "Point", "coordinates": [7, 8]}, "properties": {"classification": {"name": "Mucin"}}}])");
    test::writeFile(dir, QStringLiteral("data/c.jpg"), "x");
    test::writeFile(dir, QStringLiteral("data/c.json"), R"({"c.jpg": [{"class_id": 6, "coord": [9, 10]}]})");
    test::writeFile(dir, QStringLiteral("data/unlabelled.png"), "x");
    auto data = readTrainingData(dir.filePath(QStringLiteral("data")), test::defaultLabels(), {}, access);
    REQUIRE(data.ok());
    REQUIRE(data->images.size() == 3);
    CHECK(imageNamed(*data, QStringLiteral("a.png")).points.size() == 2);
    CHECK(imageNamed(*data, QStringLiteral("b.tif")).points.at(0).classId == 7);
    CHECK(imageNamed(*data, QStringLiteral("c.jpg")).points.at(0).x == 10);
    CHECK_THAT(text(data->notes.join(QLatin1Char('|'))), Catch::Contains("1 image(s) without a point file"));

    const QString empty = dir.filePath(QStringLiteral("empty"));
    QDir().mkpath(empty);
    auto none = readTrainingData(empty, test::defaultLabels(), {}, access);
    REQUIRE_FALSE(none.ok());
    CHECK_THAT(text(none.error()), Catch::Contains("holds no image with a point file"));
}

TEST_CASE("a point CSV sidecar names its bad line", "[readers]")
{
    QTemporaryDir dir;
    const QString csv = test::writeFile(dir, QStringLiteral("a.csv"), "x,y,label\n1,2,3\n1,2\n");
    auto data = readPointCsv(csv, dir.filePath(QStringLiteral("a.png")), test::defaultLabels(), {});
    REQUIRE_FALSE(data.ok());
    CHECK_THAT(text(data.error()), Catch::Contains("a.csv' line 3: expected 3 fields"));
}

TEST_CASE("side-by-side PNG: blue of the right half is class + 1, points on a grid of the left half", "[readers]")
{
    QTemporaryDir dir;
    test::MemoryImageAccess access;
    // 8 x 4 picture + 8 x 4 labels: left columns 0..3 of the label half are class 2 (blue 3), the rest unlabelled.
    core::training_data::RgbImage image = test::patternImage(16, 4);
    for (int64_t y = 0; y < 4; ++y)
        for (int64_t x = 8; x < 16; ++x)
            image.pixels[static_cast<size_t>((y * 16 + x) * 3 + 2)] = x < 12 ? 3 : 0;
    const QString png = test::writeFile(dir, QStringLiteral("pair.png"), "x");
    access.add(png, image);
    auto labelled = readSideBySideImage(png, test::defaultLabels(), 2, access);
    REQUIRE(labelled.ok());
    CHECK(labelled->kind == ImageKind::SideBySide);
    // grid x in {1, 3, 5, 7}, y in {1, 3}; labelled where x < 4.
    REQUIRE(labelled->points.size() == 4);
    for (const LabelledPoint& p : labelled->points) {
        CHECK(p.classId == 2);
        CHECK(p.x < 4);
    }

    const QString list = test::writeFile(dir, QStringLiteral("list.txt"), "# the original's list\npair.png\n\nmissing.png\n");
    auto missing = readTrainingData(list, test::defaultLabels(), {}, access);
    REQUIRE_FALSE(missing.ok());
    CHECK_THAT(text(missing.error()), Catch::Contains("1 of 2 image(s) listed"));
    CHECK_THAT(text(missing.error()), Catch::Contains("missing.png' (line 4)"));

    for (int64_t y = 0; y < 4; ++y)
        image.pixels[static_cast<size_t>((y * 16 + 9) * 3 + 2)] = 40; // class 39: not in the schema
    access.add(png, image);
    auto outside = readSideBySideImage(png, test::defaultLabels(), 2, access);
    REQUIRE_FALSE(outside.ok());
    CHECK_THAT(text(outside.error()), Catch::Contains("blue 40 means class id 39"));
}

TEST_CASE("data formats are chosen by name or by the path", "[readers]")
{
    CHECK(dataFormatFromName(QStringLiteral("side-by-side")).value() == DataFormat::SideBySide);
    auto unknown = dataFormatFromName(QStringLiteral("xml"));
    REQUIRE_FALSE(unknown.ok());
    CHECK_THAT(text(unknown.error()), Catch::Contains("unknown data format 'xml'"));
    CHECK(isSlideByExtension(QStringLiteral("/x/slide.SVS")));
    CHECK_FALSE(isSlideByExtension(QStringLiteral("/x/tile.tif")));
}
