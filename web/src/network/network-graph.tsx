import type { Core, ElementDefinition, StylesheetJson } from 'cytoscape';
import { useEffect, useRef, useState } from 'react';
import type { NetworkEdge, NetworkNode } from '../api/network.ts';
import { categoryLabel } from '../communes/labels.ts';

/** One colour per category, readable on the light and the dark paper. */
export const CATEGORY_COLOURS: Record<string, string> = {
  social: '#3d8b6e',
  political: '#b0603a',
  religious: '#7a5fb0',
  spiritual: '#2f7fb5',
  other: '#8a8378',
};

/** An edge's name in the graph and in its mirror: handles have no '-', so it is unambiguous. */
export const edgeId = (e: Pick<NetworkEdge, 'a' | 'b'>) => `${e.a}-${e.b}`;

// Cytoscape adds a <style> tag (position: relative for its container) unless an element with
// this id exists. The CSP allows no inline style, so network.css carries that rule and a
// placeholder with the id keeps cytoscape from trying.
const CYTOSCAPE_STYLESHEET_ID = '__________cytoscape_stylesheet';
function claimStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
  const placeholder = document.createElement('meta');
  placeholder.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.append(placeholder);
}

const cssVar = (name: string, fallback: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

function graphStyle(): StylesheetJson {
  const ink = cssVar('--ink', '#23201c');
  const paper = cssVar('--paper', '#f7f3ec');
  const line = cssVar('--muted', '#5e5850');
  const focus = cssVar('--focus', '#1b6fd1');
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(colour)',
        label: 'data(label)',
        color: ink,
        'font-size': 13,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        'text-outline-color': paper,
        'text-outline-width': 2,
        'text-wrap': 'ellipsis',
        'text-max-width': '120px',
        width: 22,
        height: 22,
      },
    },
    { selector: 'node:active, node:selected', style: { 'border-width': 3, 'border-color': focus } },
    { selector: 'edge', style: { width: 2.5, 'line-color': line, 'curve-style': 'straight' } },
  ];
}

/**
 * Mirrors the drawn graph into data attributes: what cytoscape holds, with where each node
 * sits on screen, so tests and tools read the graph itself rather than pixels.
 */
function mirror(cy: Core, box: HTMLElement): void {
  box.dataset.nodes = cy
    .nodes()
    .map((n) => n.id())
    .sort()
    .join(' ');
  box.dataset.edges = cy
    .edges()
    .map((e) => e.id())
    .sort()
    .join(' ');
  const at: Record<string, [number, number]> = {};
  cy.nodes().forEach((n) => {
    const p = n.renderedPosition();
    at[n.id()] = [Math.round(p.x), Math.round(p.y)];
  });
  box.dataset.positions = JSON.stringify(at);
}

const elementsOf = (nodes: NetworkNode[], edges: NetworkEdge[]): ElementDefinition[] => [
  ...nodes.map((n) => ({
    group: 'nodes' as const,
    data: {
      id: n.handle,
      label: n.name,
      colour: CATEGORY_COLOURS[n.category] ?? CATEGORY_COLOURS.other,
    },
  })),
  ...edges.map((e) => ({
    group: 'edges' as const,
    data: { id: edgeId(e), source: e.a, target: e.b },
  })),
];

/**
 * The communes and their alliances, drawn by cytoscape with a force layout (cose). A click or
 * tap on a commune calls `onOpen` with its handle. Cytoscape is loaded with this component
 * only, so other pages do not carry it.
 */
export function NetworkGraph({
  nodes,
  edges,
  onOpen,
}: {
  nodes: NetworkNode[];
  edges: NetworkEdge[];
  onOpen: (handle: string) => void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const open = useRef(onOpen);
  open.current = onOpen;
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let gone = false;
    let cy: Core | null = null;
    setState('loading');
    import('cytoscape')
      .then(({ default: cytoscape }) => {
        const container = box.current;
        if (gone || !container) return;
        claimStylesheet();
        cy = cytoscape({
          container,
          elements: elementsOf(nodes, edges),
          style: graphStyle(),
          layout: { name: 'preset' },
          minZoom: 0.2,
          maxZoom: 2,
          // The page scrolls with the wheel; the buttons below zoom.
          userZoomingEnabled: false,
          boxSelectionEnabled: false,
          autoungrabify: true,
        });
        cyRef.current = cy;
        const graph = cy;
        graph.on('tap', 'node', (e) => open.current(String(e.target.id())));
        graph.on('viewport resize', () => mirror(graph, container));
        const layout = graph.layout({
          name: 'cose',
          animate: false,
          fit: true,
          padding: 30,
          nodeRepulsion: () => 9000,
          idealEdgeLength: () => 90,
        });
        layout.one('layoutstop', () => {
          if (gone) return;
          mirror(graph, container);
          setState('ready');
        });
        layout.run();
      })
      .catch(() => {
        if (!gone) setState('failed');
      });
    return () => {
      gone = true;
      cy?.destroy();
      cyRef.current = null;
    };
  }, [nodes, edges]);

  function zoom(by: number) {
    const cy = cyRef.current;
    if (!cy) return;
    cy.zoom({
      level: cy.zoom() * by,
      renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 },
    });
  }

  return (
    <div className="network-graph">
      <div
        ref={box}
        className="network-canvas"
        data-state={state}
        role="img"
        aria-label={`A map of ${nodes.length} communes and ${edges.length} alliances; the list below holds the same.`}
      />
      {state === 'failed' ? (
        <p className="muted">The map could not be drawn here; the list below holds the same.</p>
      ) : null}
      <div className="network-zoom" role="group" aria-label="Zoom the map">
        <button type="button" className="secondary small" onClick={() => zoom(1.25)}>
          Zoom in
        </button>
        <button type="button" className="secondary small" onClick={() => zoom(0.8)}>
          Zoom out
        </button>
        <button
          type="button"
          className="secondary small"
          onClick={() => cyRef.current?.fit(undefined, 30)}
        >
          Show all
        </button>
      </div>
      <ul className="network-legend" aria-label="Colours by category">
        {/* React sets the colour through the CSSOM, which the CSP allows (no style attribute). */}
        {Object.entries(CATEGORY_COLOURS).map(([category, colour]) => (
          <li key={category}>
            <span className="swatch" style={{ backgroundColor: colour }} aria-hidden="true" />
            {categoryLabel(category)}
          </li>
        ))}
      </ul>
    </div>
  );
}
