from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from toezicht.indicators import api as indicators_api
from toezicht.programme import api as programme_api
from toezicht.register import api as register_api
from toezicht.risk import api as risk_api
from toezicht.signals import api as signals_api
from toezicht.strategy import api as strategy_api

router = DefaultRouter()
router.register("toezichtgebieden", register_api.SupervisionAreaViewSet, basename="area")
router.register("organisatietypen", register_api.OrganisationTypeViewSet, basename="organisation-type")
router.register("organisaties", register_api.OrganisationViewSet, basename="organisation")
router.register("ketens", register_api.ChainViewSet, basename="chain")
router.register("relaties", register_api.RelationshipViewSet, basename="relationship")
router.register("meerjarenperspectieven", strategy_api.StrategicPeriodViewSet, basename="period")
router.register("doelen", strategy_api.GoalViewSet, basename="goal")
router.register("themas", strategy_api.ThemeViewSet, basename="theme")
signals_api.register_routes(router)
indicators_api.register_routes(router)
risk_api.register_routes(router)
programme_api.register_routes(router)

urlpatterns = [
    path("", include("toezicht.web.urls")),
    path("account/", include("toezicht.accounts.urls")),
    path("register/", include("toezicht.register.urls")),
    path("strategie/", include("toezicht.strategy.urls")),
    path("signalen/", include("toezicht.signals.urls")),
    path("indicatoren/", include("toezicht.indicators.urls")),
    path("risico/", include("toezicht.risk.urls")),
    path("werkprogramma/", include("toezicht.programme.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("beheer/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
