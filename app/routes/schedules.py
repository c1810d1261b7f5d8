from app.pages import figure_page

figure_page("schedules").servable(title="Momentum Explorer · Momentum schedules")
