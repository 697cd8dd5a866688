import { useEffect, useRef } from 'preact/hooks';
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
);

export interface ChartCanvasProps {
  testId: string;
  title: string;
  /** What the figure means, shown under the title. */
  definition: string;
  /** The chart's data in words, for screen readers (the canvas itself is an image). */
  summary: string;
  config: ChartConfiguration;
}

/** One Chart.js chart, redrawn when its configuration changes; no animation, so it is read at once. */
export function ChartCanvas({ testId, title, definition, summary, config }: ChartCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return undefined;
    const rtl = document.documentElement.dir === 'rtl';
    const chart = new Chart(canvas.current, {
      ...config,
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        ...config.options,
        plugins: {
          ...config.options?.plugins,
          legend: { rtl, position: 'bottom', ...config.options?.plugins?.legend },
          tooltip: { rtl, ...config.options?.plugins?.tooltip },
        },
      },
    });
    return () => chart.destroy();
  }, [config]);
  return (
    <figure class="chart" data-testid={testId}>
      <figcaption>
        <h2>{title}</h2>
        <p class="definition">{definition}</p>
      </figcaption>
      <div class="chart-body">
        <canvas ref={canvas} role="img" aria-label={`${title}: ${summary}`} />
      </div>
    </figure>
  );
}
