from django.contrib import admin
from django.urls import include, path

from tinymlkit.platform.competition import api as compete_api
from tinymlkit.platform.courses import views as courses
from tinymlkit.platform.grading import api, instructor
from tinymlkit.platform.grading import views as grading

admin.site.site_header = "TinyML Kit platform"
admin.site.site_title = "TinyML Kit admin"

urlpatterns = [
    path("", courses.catalogue, name="catalogue"),
    path("courses/<slug:course>/", courses.course_page, name="course"),
    path("courses/<slug:course>/<slug:unit>/", courses.unit_page, name="unit"),
    path("courses/<slug:course>/<slug:unit>/<slug:lesson>/", courses.lesson_page, name="lesson"),
    path("courses/<slug:course>/<slug:unit>/<slug:lesson>/<path:name>", courses.lesson_asset, name="lesson-asset"),
    path("quiz/attempts/<int:pk>/", courses.quiz_result, name="quiz-result"),
    path("quiz/<slug:course>/<slug:unit>/", courses.quiz_page, name="quiz"),
    path("labs/<slug:lab>/", courses.lab_page, name="lab"),
    path("labs/<slug:lab>/notebook.ipynb", courses.lab_notebook, name="lab-notebook"),
    path("labs/<slug:lab>/submit/", grading.submit, name="submit"),
    path("submissions/", grading.my_submissions, name="submissions"),
    path("submissions/<int:pk>/", grading.submission_page, name="submission"),
    path("submissions/<int:pk>/status/", grading.submission_status, name="submission-status"),
    path("submissions/<int:pk>/retry/", grading.retry, name="submission-retry"),
    path("dashboard/", courses.dashboard, name="dashboard"),
    path("certificates/<slug:course>/", courses.certificate, name="certificate"),
    path("instructor/", instructor.cohort, name="instructor"),
    path("instructor/progress.csv", instructor.export_csv, name="instructor-csv"),
    path("api/v1/submissions/", api.create_submission, name="api-submit"),
    path("api/v1/submissions/<int:pk>/", api.submission_detail, name="api-submission"),
    path("accounts/", include("tinymlkit.platform.accounts.urls")),
    path("forum/", include("tinymlkit.platform.forum.urls")),
    path("chat/", include("tinymlkit.platform.chat.urls")),
    path("showcase/", include("tinymlkit.platform.showcase.urls")),
    path("compete/", include("tinymlkit.platform.competition.urls")),
    path("api/v1/compete/<slug:name>/entries/", compete_api.create, name="api-compete-submit"),
    path("api/v1/compete/entries/<int:pk>/", compete_api.detail, name="api-compete-entry"),
    path("admin/", admin.site.urls),
]
