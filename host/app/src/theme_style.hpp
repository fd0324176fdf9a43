// The application style: Fusion (which draws everything from the palette, so themes look the same on
// every desktop) with input outlines taken from the palette's Mid role. Fusion in Qt 6.4 derives the
// outlines of check boxes, line edits and spin boxes from the Window colour, which makes them vanish
// on dark and high-contrast themes (an unchecked box becomes invisible).
#pragma once

#include <QProxyStyle>

namespace slt::app {

class ThemeStyle : public QProxyStyle {
    Q_OBJECT
public:
    ThemeStyle();

    void drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                       const QWidget* widget = nullptr) const override;
    void drawComplexControl(ComplexControl control, const QStyleOptionComplex* option, QPainter* painter,
                            const QWidget* widget = nullptr) const override;
};

} // namespace slt::app
