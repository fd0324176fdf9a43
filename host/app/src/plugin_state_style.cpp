#include "plugin_state_style.hpp"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace slt::app {

StateCategory categoryOf(core::PluginState state)
{
    switch (state) {
    case core::PluginState::Active:
        return StateCategory::Active;
    case core::PluginState::Disabled:
    case core::PluginState::Shadowed:
        return StateCategory::Inactive;
    case core::PluginState::ManifestInvalid:
    case core::PluginState::Incompatible:
    case core::PluginState::DependencyMissing:
    case core::PluginState::LoadFailed:
    case core::PluginState::InitFailed:
    case core::PluginState::Quarantined:
        break;
    }
    return StateCategory::Problem;
}

QString stateLabel(core::PluginState state)
{
    return QString::fromLatin1(core::stateName(state)).replace(u'-', u' ');
}

QColor stateColor(StateCategory category, const StateColors& colors)
{
    switch (category) {
    case StateCategory::Active:
        return colors.active;
    case StateCategory::Problem:
        return colors.problem;
    case StateCategory::Inactive:
        break;
    }
    return colors.inactive;
}

namespace {

// The mark is white on the dark state colours of the light theme and black on the pale ones of the
// dark themes, whichever contrasts more with the disc.
void drawMark(QPainter& painter, StateCategory category, const QColor& disc, qreal size)
{
    const QColor ink = disc.lightnessF() > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
    painter.setPen(QPen(ink, size * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    painter.setBrush(Qt::NoBrush);
    switch (category) {
    case StateCategory::Active: {
        QPainterPath tick;
        tick.moveTo(size * 0.28, size * 0.52);
        tick.lineTo(size * 0.44, size * 0.68);
        tick.lineTo(size * 0.72, size * 0.34);
        painter.drawPath(tick);
        return;
    }
    case StateCategory::Problem:
        painter.drawLine(QPointF(size * 0.5, size * 0.24), QPointF(size * 0.5, size * 0.54));
        painter.drawPoint(QPointF(size * 0.5, size * 0.74));
        return;
    case StateCategory::Inactive:
        painter.drawLine(QPointF(size * 0.3, size * 0.5), QPointF(size * 0.7, size * 0.5));
        return;
    }
}

QPixmap stateDisc(StateCategory category, const QColor& color, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    drawMark(painter, category, color, size);
    return pixmap;
}

} // namespace

QIcon stateIcon(StateCategory category, const StateColors& colors)
{
    const QColor color = stateColor(category, colors);
    QIcon icon;
    for (int size : {16, 24, 32, 48})
        icon.addPixmap(stateDisc(category, color, size));
    return icon;
}

PluginCounts countPlugins(const std::vector<core::PluginRecord>& records)
{
    PluginCounts counts;
    for (const core::PluginRecord& record : records) {
        switch (categoryOf(record.state)) {
        case StateCategory::Active:
            ++counts.active;
            break;
        case StateCategory::Problem:
            ++counts.problems;
            break;
        case StateCategory::Inactive:
            ++counts.inactive;
            break;
        }
    }
    return counts;
}

QString summaryText(const PluginCounts& counts)
{
    QString text = counts.active == 1 ? QCoreApplication::translate("slt", "1 plugin active")
                                      : QCoreApplication::translate("slt", "%1 plugins active").arg(counts.active);
    if (counts.problems > 0)
        text += QCoreApplication::translate("slt", ", %1 with problems").arg(counts.problems);
    if (counts.inactive > 0)
        text += QCoreApplication::translate("slt", ", %1 inactive").arg(counts.inactive);
    return text;
}

} // namespace slt::app
