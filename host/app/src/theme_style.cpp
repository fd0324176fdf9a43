#include "theme_style.hpp"

#include <QPainter>
#include <QStyleFactory>
#include <QStyleOption>

namespace slt::app {
namespace {

// Redraws the 1-pixel outline Fusion painted, in Mid (Highlight when focused).
void drawOutline(QPainter* painter, const QStyleOption* option)
{
    const bool focused = option->state & QStyle::State_HasFocus;
    const QColor color = option->palette.color(focused ? QPalette::Highlight : QPalette::Mid);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(color, 1.0));
    painter->setBrush(Qt::NoBrush);
    painter->drawRoundedRect(QRectF(option->rect).adjusted(0.5, 0.5, -0.5, -0.5), 2.0, 2.0);
    painter->restore();
}

} // namespace

ThemeStyle::ThemeStyle() : QProxyStyle(QStyleFactory::create(QStringLiteral("Fusion")))
{
}

void ThemeStyle::drawPrimitive(PrimitiveElement element, const QStyleOption* option, QPainter* painter,
                               const QWidget* widget) const
{
    QProxyStyle::drawPrimitive(element, option, painter, widget);
    // Item-view check boxes are drawn through PE_IndicatorCheckBox as well.
    if (element == PE_IndicatorCheckBox || element == PE_FrameLineEdit)
        drawOutline(painter, option);
}

void ThemeStyle::drawComplexControl(ComplexControl control, const QStyleOptionComplex* option,
                                    QPainter* painter, const QWidget* widget) const
{
    QProxyStyle::drawComplexControl(control, option, painter, widget);
    if (control == CC_SpinBox)
        drawOutline(painter, option);
}

} // namespace slt::app
