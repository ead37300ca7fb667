"""The one place where adapters are chosen (from settings) and wired: one dishka provider per context.

Shared layer: infrastructure (database, clock, blob store, queue, rate limits), identity, files, jobs and analysis
(capture and iDance scoring). Contexts: community, breakdown (and, as they land, choreography, coaching). A context
contributes its job handlers as ``JobRoute`` values; the jobs provider collects them.
"""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container
from taskiq import AsyncBroker

from entrypoints.ioc.analysis import AnalysisProvider
from entrypoints.ioc.breakdown import BreakdownProvider
from entrypoints.ioc.choreography import ChoreographyProvider
from entrypoints.ioc.coaching import CoachingProvider
from entrypoints.ioc.community import CommunityProvider
from entrypoints.ioc.files import FilesProvider
from entrypoints.ioc.identity import IdentityProvider
from entrypoints.ioc.infrastructure import InfrastructureProvider
from entrypoints.ioc.jobs import JobsProvider
from entrypoints.ioc.sign_in import SignInProvider
from entrypoints.settings import Settings


def context_providers() -> list[Provider]:
    """Every provider of the product, shared layer first."""
    return [InfrastructureProvider(), IdentityProvider(), SignInProvider(), FilesProvider(), JobsProvider(),
            AnalysisProvider(), CommunityProvider(), BreakdownProvider(), ChoreographyProvider(), CoachingProvider()]


def make_container(settings: Settings, broker: AsyncBroker, *extra: Provider) -> AsyncContainer:
    """Extra providers come last, so tests override adapters without patching."""
    from dishka.integrations.litestar import LitestarProvider

    return make_async_container(
        *context_providers(), LitestarProvider(), *extra,
        context={Settings: settings, AsyncBroker: broker},
    )
