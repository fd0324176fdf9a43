// Renders a widget to an image file (used by --screenshot and the screenshot test).
#pragma once

#include <QString>

class QWidget;

namespace slt::app {

// Shows the widget off screen if it is hidden, lets pending layout and paint events run (a grab
// right after a change can capture a stale layout), grabs it and writes the image; the format comes
// from the file suffix. Returns an error message, empty on success.
QString saveScreenshot(QWidget& widget, const QString& file);

} // namespace slt::app
